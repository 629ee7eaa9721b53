"""``assessor report|sign|verify``: make, sign and check PDF assessment reports.

``register(subparsers)`` adds the three commands; each handler returns the exit status and raises
:class:`~assessor_app.errors.UserError` subclasses for refusals (the main CLI prints the message
and exits 2). ``verify`` exits 1 when a check fails.

Passphrases come from ``--passphrase-file FILE``, else ``$ASSESSOR_PASSPHRASE``, else a prompt.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography import x509

from ..fileio import atomic_write
from ..i18n import N_, _, format_number, language, shown
from ..timefmt import format_instant
from .errors import ReportError, SigningRefused

PASS_ENV = "ASSESSOR_PASSPHRASE"


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help="write the PDF report of an assessment",
                              description="Write the signed-ready PDF/A-3b report of an assessment.")
    p.add_argument("ident", metavar="ID", help="assessment id (at least 4 characters)")
    p.add_argument("--out", type=Path, metavar="FILE.pdf",
                   help="where to write the PDF (required unless --sign)")
    p.add_argument("--lang", dest="report_lang", choices=["id", "en"],
                   help="report language (default: settings, else the app language)")
    p.add_argument("--org", help="organisation name (default: setting 'organisation')")
    p.add_argument("--logo", type=Path, metavar="FILE", help="logo image (default: setting 'logo_path')")
    p.add_argument("--summary", action="store_true",
                   help="the summary report (cover, summary, findings, signatures, method: at "
                        "most 8 pages) instead of the full report")
    p.add_argument("--sign", action="store_true",
                   help="sign the report as the inspector (--p12) and keep it with the "
                        "assessment; the next sync sends it to the server")
    p.add_argument("--signed", action="store_true",
                   help="write the archived signed report (countersigned when approved) to --out")
    p.add_argument("--p12", type=Path, metavar="FILE", help="with --sign: your .p12 certificate")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help=f"with --sign: file whose first line is the .p12 passphrase (else "
                        f"${PASS_ENV}, else a prompt)")
    p.add_argument("--crl", type=Path, metavar="FILE",
                   help="with --sign: the CA's revocation list (default: as for 'sign')")
    p.set_defaults(func=_report)

    p = subparsers.add_parser("sign", help="sign a report as inspector or supervisor",
                              description="Sign a report PDF with a PKCS#12 certificate. The "
                                          "signed copy is written next to it (FILE-signed.pdf).")
    p.add_argument("pdf", type=Path, metavar="FILE.pdf")
    p.add_argument("--p12", required=True, type=Path, metavar="FILE", help="your .p12 certificate file")
    p.add_argument("--as", dest="role", required=True, choices=["inspector", "supervisor"])
    p.add_argument("--out", type=Path, metavar="FILE.pdf", help="where to write the signed copy")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help=f"file whose first line is the .p12 passphrase (else ${PASS_ENV}, else a prompt)")
    p.add_argument("--crl", type=Path, metavar="FILE",
                   help="the CA's revocation list (default: DATA_DIR/pki/issuing.crl or setting 'crl_path')")
    p.add_argument("--tsa", metavar="URL", help="timestamp server for the supervisor (default: setting 'tsa_url')")
    p.add_argument("--drawn", type=Path, metavar="PNG", help="drawn signature image to show in the box")
    p.set_defaults(func=_sign)

    p = subparsers.add_parser("verify", help="verify a signed report offline",
                              description="Check every signature and the data behind the printed "
                                          "score. Exit status 0: all good; 1: a check failed.")
    p.add_argument("pdf", type=Path, metavar="FILE.pdf")
    p.add_argument("--trust", type=Path, metavar="ROOT.pem",
                   help="the organisation's root certificate (default: DATA_DIR/pki/root.pem)")
    p.add_argument("--crl", type=Path, action="append", default=[], metavar="FILE",
                   help="a newer revocation list (repeatable; DATA_DIR/pki/issuing.crl is used "
                        "when present)")
    p.add_argument("--tsa-trust", type=Path, action="append", default=[], metavar="ROOT.pem",
                   help="root certificate of a timestamp authority, trusted for signature "
                        "timestamps only (repeatable; DATA_DIR/pki/tsa-root*.pem are used when "
                        "present)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_verify)

    p = subparsers.add_parser("tsa", help="show or set the supervisor's timestamp server",
                              description="Show the timestamp server (setting tsa_url) used for "
                                          "the supervisor's signature, or set it: a new address "
                                          "is tried with one timestamp request first.")
    p.add_argument("url", nargs="?", metavar="URL", help="timestamp server address (http(s)://...)")
    p.add_argument("--clear", action="store_true", help="sign without a timestamp from now on")
    p.add_argument("--no-check", action="store_true", help="save URL without trying it")
    p.set_defaults(func=_tsa)


#: what _read reads -> (not found, cannot read): whole sentences, translated when raised
_FILES = {
    "report": (N_("the report {path} not found"),
               N_("cannot read the report {path}: {error}")),
    "crl": (N_("the revocation list {path} not found"),
            N_("cannot read the revocation list {path}: {error}")),
    "drawn": (N_("the drawn signature {path} not found"),
              N_("cannot read the drawn signature {path}: {error}")),
    "root": (N_("the root certificate {path} not found"),
             N_("cannot read the root certificate {path}: {error}")),
    "tsa-root": (N_("the timestamp authority's root certificate {path} not found"),
                 N_("cannot read the timestamp authority's root certificate {path}: {error}")),
}


def _read(path: Path, what: str) -> bytes:
    """The bytes of ``path``; ``what`` is a key of :data:`_FILES`."""
    not_found, _unreadable = _FILES[what]
    from ..fileio import read_input   # a folder, FIFO or device is refused before reading
    if not Path(path).expanduser().exists():
        raise ReportError(_(not_found).format(path=path))
    return read_input(Path(path).expanduser(), 512 * 1024 * 1024, label=str(path),
                      error=ReportError)


def role_word(role: str | None) -> str:
    """``inspector`` / ``supervisor`` (``pemeriksa`` / ``supervisor``) for messages."""
    if role == "inspector":
        return _("Inspector").lower()
    if role == "supervisor":
        return _("Supervisor").lower()
    return role or _("no role")


def _lang(args, store=None) -> str:
    lang = getattr(args, "report_lang", None) or getattr(args, "lang", None)
    if not lang and store is not None:
        lang = store.get_setting("language")
    return lang or language()


def _report(args) -> int:
    from ..cli.common import open_store, resolve_uuid
    from .builder import build_report
    if args.sign and args.signed:
        raise ReportError(_("give --sign (make and sign) or --signed (the archived copy), not "
                            "both"))
    if args.sign and not args.p12:
        raise ReportError(_("--sign needs your certificate file: --p12 FILE"))
    if not args.sign and args.out is None:
        raise ReportError(_("give the output file with --out FILE.pdf"))
    store = open_store(args)
    uuid = resolve_uuid(store, args.ident)
    if args.signed:
        kind, pdf = store.signed_report_bytes(uuid)
        atomic_write(args.out.expanduser(), pdf)
        print((_("Wrote the countersigned report: {path}") if kind == "countersigned" else
               _("Wrote the inspector's signed report: {path}")).format(path=args.out))
        return 0
    if args.sign:
        return _report_sign(args, store, uuid)
    report = build_report(store, uuid, lang=_lang(args, store), organisation=args.org,
                          logo_path=args.logo, kind="summary" if args.summary else "full")
    out = args.out.expanduser()
    atomic_write(out, report.pdf)
    template = (_("Wrote report {number} (DRAFT: the assessment is not completed): {path} "
                  "({pages} pages, {mb:.1f} MB)") if report.draft else
                _("Wrote report {number}: {path} ({pages} pages, {mb:.1f} MB)"))
    print(template.format(number=report.report_no, path=out, pages=report.pages,
                          mb=len(report.pdf) / 1e6))
    return 0


def _report_sign(args, store, uuid: str) -> int:
    from ..pki.passphrase import read_passphrase
    from ..review import sign_and_keep
    from .signing import LocalP12Signer
    crl = find_crl(args.data_dir, args.crl, store)
    passphrase = read_passphrase(args.passphrase_file, PASS_ENV, _("passphrase of the .p12 file: "),
                                 file_option="--passphrase-file")
    signer = LocalP12Signer.open(args.p12.expanduser(), passphrase)
    kept = sign_and_keep(store, uuid, signer, crl_der=crl, lang=_lang(args, store),
                         organisation=args.org, logo_path=args.logo)
    if args.out:
        atomic_write(args.out.expanduser(), kept["pdf"])
    print(_("Signed report {number} kept with assessment {uuid}; the next sync sends it to the "
            "server.").format(number=kept["report_no"], uuid=uuid[:8]))
    return 0


def default_output(pdf: Path) -> Path:
    """``x.pdf`` -> ``x-signed.pdf``; ``x-signed.pdf`` -> ``x-countersigned.pdf``."""
    stem = pdf.stem
    if stem.endswith("-signed"):
        return pdf.with_name(stem[: -len("-signed")] + "-countersigned.pdf")
    return pdf.with_name(stem + "-signed.pdf")


def find_crl(data_dir: Path, explicit: Path | None, store=None) -> bytes | None:
    """The CA's revocation list: ``--crl``, else DATA_DIR/pki/issuing.crl (the CA's own
    machine), else setting crl_path, else the list the last sync brought (DATA_DIR/sync/crl.der)."""
    if explicit:
        return _read(explicit, "crl")
    candidates = [Path(data_dir) / "pki" / "issuing.crl"]
    if store is not None and store.get_setting("crl_path"):
        candidates.append(Path(store.get_setting("crl_path")).expanduser())
    candidates.append(Path(data_dir) / "sync" / "crl.der")
    for path in candidates:
        if path.is_file():
            return path.read_bytes()
    return None


def _settings(args):
    from ..store import AssessmentStore
    from ..store.base import DB_NAME
    db = Path(args.data_dir)
    if not (db / DB_NAME).is_file():   # sign/verify never create a data folder's database
        return None
    try:
        return AssessmentStore(db, actor="cli")
    except Exception:  # noqa: BLE001 - settings are optional for sign/verify
        return None


def _sign(args) -> int:
    from ..pki.passphrase import read_passphrase
    from .signing import LocalP12Signer, sign_report
    src = args.pdf.expanduser()
    pdf = _read(src, "report")
    out = (args.out or default_output(src)).expanduser()
    if out.resolve() == src.resolve():
        raise SigningRefused(_("a signed report is never overwritten in place; choose another "
                               "--out"))
    if out.exists():
        raise SigningRefused(_("{path} already exists; remove it or choose another --out").format(
            path=out))
    store = _settings(args)
    crl = find_crl(args.data_dir, args.crl, store)
    tsa = args.tsa or (store.get_setting("tsa_url") if store is not None else None)
    if args.tsa and args.role != "supervisor":
        raise SigningRefused(_("--tsa is for the supervisor's signature; the inspector signs "
                               "offline, without a timestamp"))
    passphrase = read_passphrase(args.passphrase_file, PASS_ENV, _("passphrase of the .p12 file: "),
                                 file_option="--passphrase-file")
    signer = LocalP12Signer.open(args.p12.expanduser(), passphrase)
    drawn = _read(args.drawn, "drawn") if args.drawn else None
    signed = sign_report(pdf, signer, args.role, crl_der=crl, tsa_url=tsa, drawn_png=drawn,
                         lang=_lang(args, store))
    atomic_write(out, signed)
    if tsa and args.role == "supervisor":
        print(_("Signed as {role}, with a timestamp from {url}: {path}").format(
            role=role_word(args.role), url=tsa, path=out))
    else:
        print(_("Signed as {role}: {path}").format(role=role_word(args.role), path=out))
    return 0


def _verify(args) -> int:
    from .verify import verify_report
    pdf = _read(args.pdf.expanduser(), "report")
    root_path = args.trust or Path(args.data_dir) / "pki" / "root.pem"
    if not args.trust and not root_path.is_file():
        raise ReportError(_("give the organisation's root certificate with --trust ROOT.pem"))
    root = _certificate(root_path, "root")
    crls = [_read(p, "crl") for p in args.crl]
    default_crl = Path(args.data_dir) / "pki" / "issuing.crl"
    if default_crl.is_file():
        crls.append(default_crl.read_bytes())
    tsa_paths = list(args.tsa_trust) + sorted((Path(args.data_dir) / "pki").glob("tsa-root*.pem"))
    tsa_roots = [_certificate(p, "tsa-root") for p in tsa_paths]
    result = verify_report(pdf, root, crls=crls, tsa_roots=tsa_roots)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_result(result, args.pdf))
    return 0 if result.ok else 1


def _certificate(path: Path, what: str) -> x509.Certificate:
    data = _read(path, what)
    try:
        return (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
                else x509.load_der_x509_certificate(data))
    except ValueError:
        raise ReportError(_("{path} is not a certificate (PEM or DER)").format(
            path=path)) from None


def _tsa(args) -> int:
    from ..cli.common import open_store
    if args.url and args.clear:
        raise ReportError(_("give a URL or --clear, not both"))
    with open_store(args) as store:
        if args.clear:
            store.set_setting("tsa_url", None)
            print(_("Timestamp server cleared: the supervisor signs without a timestamp."))
        elif args.url:
            url = args.url.strip()
            if not url.lower().startswith(("http://", "https://")):
                raise ReportError(_("{url} is not an http:// or https:// address").format(
                    url=repr(url)))
            if not args.no_check:
                print(_("Timestamp server {url} answered: {answer}").format(
                    url=url, answer=check_tsa(url)))
            store.set_setting("tsa_url", url)
            print(_("The supervisor's signature will carry a timestamp from {url}.").format(
                url=url))
        else:
            url = store.get_setting("tsa_url")
            print(_("Timestamp server: {url}").format(url=url) if url else
                  _("No timestamp server is set: the supervisor signs without a timestamp."))
    return 0


def check_tsa(url: str) -> str:
    """Ask ``url`` for one timestamp; return "time, by TSA name" or raise ReportError."""
    import asyncio
    import hashlib
    from pyhanko.sign.timestamps import HTTPTimeStamper

    async def ask():
        return await HTTPTimeStamper(url).async_timestamp(hashlib.sha256(b"assessor").digest(),
                                                          "sha256")
    try:
        token = asyncio.run(ask())
        info = token["content"]["encap_content_info"]["content"].parsed
        when = info["gen_time"].native
        name = info["tsa"].native if info["tsa"].native else None
    except Exception as exc:  # noqa: BLE001 - any failure means: not usable
        from .signing import _tsa_failure
        raise ReportError(_tsa_failure(url, exc, setting=True)) from None
    if isinstance(name, dict):
        who = name.get("common_name") or ", ".join(str(v) for v in name.values())
        return _("{time}, by {name}").format(time=format_instant(when, seconds=True), name=who)
    return format_instant(when, seconds=True)


def format_result(result, name, lang: str | None = None) -> str:
    """The verification result as lines for a person, in ``lang`` (default: the current
    language). The result itself (and its JSON) stays in English."""
    def mark(ok: bool) -> str:
        return _("OK", lang).ljust(4) if ok else _("FAIL", lang)

    def role(value: str | None) -> str:
        if value in ("inspector", "supervisor"):
            return (_("Inspector", lang) if value == "inspector"
                    else _("Supervisor", lang)).lower()
        return value or _("no role", lang)

    yes, no, big_yes, big_no = _("yes", lang), _("no", lang), _("YES", lang), _("NO", lang)
    indent = " " * 9
    lines = [f"{name}:"]
    for s in result.signatures:
        lines.append(f"  [{mark(s.ok)}] " + _(
            "signature {field}: {signer} ({role}), signed {when} ({source})", lang).format(
            field=s.field, signer=s.signer, role=role(s.role),
            when=format_instant(s.signed_at, empty="?"),
            source=_time_source(s, lang)))
        lines.append(indent + _("intact: {intact}; trusted: {trusted}; revoked: {revoked}",
                                lang).format(
            intact=yes if s.intact else big_no, trusted=yes if s.trusted else big_no,
            revoked=big_yes if s.revoked else no))
        lines.append(indent + _("changed after it: {changes}", lang).format(
            changes=shown(s.changes_after, lang)))
        lines += [indent + _("problem: {problem}", lang).format(problem=shown(p, lang))
                  for p in s.problems]
        lines += [indent + _("note: {note}", lang).format(note=shown(n, lang)) for n in s.notes]
    d = result.data
    data_line = (_("data: report {number}, score printed {printed}, re-scored {rescored}, QR "
                   "matches", lang) if d.qr_ok else
                 _("data: report {number}, score printed {printed}, re-scored {rescored}, QR "
                   "DOES NOT match", lang))
    lines.append(f"  [{mark(d.ok)}] " + data_line.format(
        number=d.report_no or "?", printed=", ".join(d.printed_totals) or "-",
        rescored=format_number(d.rescored_total, lang)))
    lines += [indent + _("problem: {problem}", lang).format(problem=shown(p, lang))
              for p in d.problems]
    lines += ["  " + _("problem: {problem}", lang).format(problem=shown(p, lang))
              for p in result.problems]
    lines.append(_("Result: all checks passed", lang) if result.ok
                 else _("Result: VERIFICATION FAILED", lang))
    return "\n".join(lines)


def _time_source(s, lang: str | None = None) -> str:
    tsa = s.timestamp_tsa or "?"
    if s.time_source == "timestamp":
        return _("trusted timestamp by {tsa}", lang).format(tsa=tsa)
    if s.timestamp:
        if any("timestamp" in str(p) for p in s.problems):
            template = _("claimed by the signer's computer; timestamp {time} by {tsa} broken", lang)
        else:
            template = _("claimed by the signer's computer; timestamp {time} by {tsa} NOT trusted",
                         lang)
        return template.format(time=format_instant(s.timestamp), tsa=tsa)
    return _("claimed by the signer's computer, no timestamp", lang)
