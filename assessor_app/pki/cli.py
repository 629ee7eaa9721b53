"""``assessor pki ...``: run the organisation's CA from the command line.

``register(subparsers)`` adds the ``pki`` command; each sub-command sets ``func`` to a handler
``handler(args) -> int``. The caller provides ``args.data_dir`` (a resolved ``Path``); the CA
folder is ``args.data_dir / "pki"`` unless ``--pki-dir`` says otherwise. Handlers raise
:class:`PkiError`; the main CLI prints ``str(error)`` and exits 2.

The CA passphrase comes from ``--passphrase-file``, ``$ASSESSOR_PASSPHRASE`` or a prompt; a
PKCS#12 passphrase from ``--p12-passphrase-file``, ``$ASSESSOR_P12_PASSPHRASE`` or a prompt.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..i18n import _
from . import storage
from .authority import ca_certificates, init_ca, load_issuing_ca
from .crl import REASONS
from .errors import PkiError
from .passphrase import read_passphrase
from .people import ROLES, a_role, issue_person, sign_csr, subject_text
from .revocation import crl_is_stale, current_crl, load_crl, refresh_crl, revoke

P12_ENV = "ASSESSOR_P12_PASSPHRASE"


def register(subparsers) -> argparse.ArgumentParser:
    """Add ``pki`` and its sub-commands to an argparse ``subparsers`` object; returns ``pki``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--pki-dir", type=Path, metavar="DIR",
                        help="the CA folder (default: DATA_DIR/pki)")
    common.add_argument("--passphrase-file", metavar="FILE",
                        help="file whose first line is the CA passphrase "
                             "(else $ASSESSOR_PASSPHRASE, else a prompt)")

    pki = subparsers.add_parser(
        "pki", help="the organisation's certificate authority",
        description="Run the organisation's certificate authority: create it, issue signing "
                    "certificates to inspectors and supervisors, revoke them.",
    )
    sub = pki.add_subparsers(dest="pki_command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", parents=[common], help="create the root and issuing CA")
    p.add_argument("--org", required=True, help='organisation name, e.g. "Ombudsman RI"')
    p.add_argument("--country", default="ID", help="two-letter country code (default: ID)")
    p.set_defaults(func=_init)

    p = sub.add_parser("issue", parents=[common],
                       help="make a key and certificate for a person, as a .p12 file")
    p.add_argument("--name", required=True, help="the person's full name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--email", help="e-mail address to put in the certificate")
    p.add_argument("--team", help="the person's team (the certificate's OU); a supervisor's "
                                  "countersignature is accepted only for work of that team")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.p12",
                   help="the new PKCS#12 file (an existing file is never overwritten)")
    p.add_argument("--days", type=int, default=730, help="validity in days (default: 730)")
    p.add_argument("--p12-passphrase-file", metavar="FILE",
                   help=f"file whose first line protects the .p12 (else ${P12_ENV}, else a prompt)")
    p.set_defaults(func=_issue)

    p = sub.add_parser("sign-csr", parents=[common],
                       help="issue a certificate for a key made on the person's machine")
    p.add_argument("csr", type=Path, metavar="CSR", help="the request (PEM or DER)")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--team", help="the person's team (the certificate's OU)")
    p.add_argument("--out", required=True, type=Path, metavar="CERT.pem")
    p.add_argument("--days", type=int, default=730, help="validity in days (default: 730)")
    p.add_argument("--chain", action="store_true",
                   help="append the issuing and root certificates to the output")
    p.set_defaults(func=_sign_csr)

    p = sub.add_parser("revoke", parents=[common], help="revoke a certificate and re-sign the CRL")
    p.add_argument("serial", metavar="SERIAL", help="serial number as `pki list` shows it (hex)")
    p.add_argument("--reason", default="unspecified", help=f"one of: {', '.join(REASONS)}")
    p.set_defaults(func=_revoke)

    p = sub.add_parser("crl", parents=[common], help="write the current revocation list (DER)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--refresh", action="store_true",
                   help="re-sign it first (done anyway once its next update has passed)")
    p.set_defaults(func=_crl)

    p = sub.add_parser("list", parents=[common], help="list the certificates issued")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_list)
    return pki


def _pki_dir(args) -> Path:
    if getattr(args, "pki_dir", None):
        return Path(args.pki_dir).expanduser().resolve()
    return Path(args.data_dir) / "pki"


def _ca_passphrase(args, *, confirm: bool = False) -> bytes:
    return read_passphrase(args.passphrase_file, "ASSESSOR_PASSPHRASE", _("CA passphrase: "),
                           confirm=confirm, file_option="--passphrase-file")


def _date(value: datetime) -> str:
    return value.strftime("%Y-%m-%d")


def _init(args) -> int:
    pki_dir = _pki_dir(args)
    info = init_ca(pki_dir, args.org, _ca_passphrase(args, confirm=True), country=args.country)
    print(_("Created the certificate authority of {org} in {path}").format(
        org=info.org_name, path=pki_dir))
    print("  " + _("root certificate:    {path} (valid until {date})").format(
        path=pki_dir / storage.ROOT_CERT, date=_date(info.root_not_after)))
    print("  " + _("issuing certificate: {path} (valid until {date})").format(
        path=pki_dir / storage.ISSUING_CERT, date=_date(info.issuing_not_after)))
    print("  " + _("root SHA-256 fingerprint: {fingerprint}").format(fingerprint=info.root_sha256))
    print(_("Give root.pem to everyone who verifies reports, with the fingerprint above."))
    print(_("Keep the passphrase safe, and move {file} to offline storage: issuing certificates "
            "does not need it.").format(file=storage.ROOT_KEY))
    return 0


def _issue(args) -> int:
    pki_dir = _pki_dir(args)
    if args.out.exists():
        raise storage.already_exists(args.out)
    ca_pass = _ca_passphrase(args)
    load_issuing_ca(pki_dir, ca_pass)  # a wrong CA passphrase fails before the second prompt
    p12_pass = read_passphrase(args.p12_passphrase_file, P12_ENV,
                               _("passphrase for the new .p12 file: "), confirm=True,
                               file_option="--p12-passphrase-file")
    info = issue_person(pki_dir, ca_pass, name=args.name, role=args.role, email=args.email,
                        out_p12=args.out, p12_passphrase=p12_pass, days=args.days,
                        team=args.team)
    print(_("Issued {role} certificate to {name}, serial {serial}, valid until {date}").format(
        role=a_role(info.role), name=info.name, serial=info.serial_hex,
        date=_date(info.not_after)))
    print(_("Wrote {path}; hand it over with its passphrase by separate ways.").format(
        path=args.out))
    return 0


def _sign_csr(args) -> int:
    csr = storage.read_bytes(args.csr, _("the certificate request"))
    if args.out.exists():
        raise storage.already_exists(args.out)
    pki_dir = _pki_dir(args)
    pem = sign_csr(pki_dir, _ca_passphrase(args), csr, role=args.role, days=args.days,
                   team=args.team)
    out = pem
    if args.chain:
        root, issuing = ca_certificates(pki_dir)
        out += b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (issuing, root))
    storage.write_atomic(args.out, out, exclusive=True)
    cert = x509.load_pem_x509_certificate(pem)
    print(_("Issued {role} certificate to {name}, serial {serial}, valid until {date}").format(
        role=a_role(args.role), name=subject_text(cert.subject),
        serial=f"{cert.serial_number:x}", date=_date(cert.not_valid_after_utc)))
    print(_("Wrote {path}").format(path=args.out))
    return 0


def parse_serial(text: str) -> int:
    """``"3F:9A:0C"``, ``"0x3f9a0c"`` and ``"3f9a0c"`` are the same (hex) serial."""
    cleaned = text.strip().lower().replace(":", "").replace(" ", "")
    cleaned = cleaned.removeprefix("0x")
    try:
        value = int(cleaned, 16)
    except ValueError:
        value = 0
    if value <= 0:
        raise PkiError(_("{text} is not a serial number; `assessor pki list` shows them (hex)")
                       .format(text=repr(text)))
    return value


def _revoke(args) -> int:
    serial = parse_serial(args.serial)
    pki_dir = _pki_dir(args)
    revoke(pki_dir, _ca_passphrase(args), serial, args.reason)
    print(_("Revoked certificate {serial}; the revocation list in {path} was re-signed. Sync so "
            "that every laptop gets it.").format(serial=f"{serial:x}",
                                                 path=pki_dir / storage.CRL_FILE))
    return 0


def _crl(args) -> int:
    pki_dir = _pki_dir(args)
    der = current_crl(pki_dir)
    if args.refresh or crl_is_stale(der):
        der = refresh_crl(pki_dir, _ca_passphrase(args))
        print(_("Re-signed the revocation list."))
    storage.write_atomic(args.out, der)
    crl = load_crl(der)
    print(_("Wrote the revocation list ({count} revoked, next update {date}) to {path}").format(
        count=len(crl), date=_date(crl.next_update_utc), path=args.out))
    return 0


def _status(info: storage.CertInfo, now: datetime) -> str:
    if info.revoked_at:
        reason = "" if info.reason in (None, "unspecified") else f" ({info.reason})"
        return f"revoked {_date(info.revoked_at)}{reason}"
    return "expired" if info.not_after < now else "valid"


def _status_text(info: storage.CertInfo, now: datetime) -> str:
    """:func:`_status` for people, in the current language (``--json`` keeps the English words)."""
    if info.revoked_at:
        reason = "" if info.reason in (None, "unspecified") else f" ({info.reason})"
        return _("revoked {date}{reason}").format(date=_date(info.revoked_at), reason=reason)
    return _("expired") if info.not_after < now else _("valid")


def _list(args) -> int:
    infos = storage.list_certificates(_pki_dir(args))
    now = datetime.now(timezone.utc)
    if args.json:
        print(json.dumps([dict(i.to_json(), status=_status(i, now)) for i in infos],
                         indent=2, ensure_ascii=False))
        return 0
    if not infos:
        print(_("No certificates issued yet."))
        return 0
    width = max(len(i.serial_hex) for i in infos)
    for i in infos:
        who = f"{i.name} <{i.email}>" if i.email else i.name
        print(_("{serial}  {role}  until {date}  {status}  {who}").format(
            serial=f"{i.serial_hex:<{width}}", role=f"{i.role:<10}", date=_date(i.not_after),
            status=f"{_status_text(i, now):<20}", who=who))
    return 0

