"""Verify a signed report offline: every signature, then the data behind the printed figures.

For each signature: who, when, whether the signed bytes are intact, whether the certificate is
trusted (chains to the given root) and not revoked (by the CRLs embedded at signing and any newer
ones given), and what changed after it. Validity is judged by intact + valid + trusted + the
document's modification policy (as pyHanko's ``bottom_line``), never by ``valid`` alone.

A signature timestamp (the supervisor's, PAdES B-T) is checked against the organisation's root
and the timestamp authorities' roots given (``tsa_roots``). A broken timestamp fails the
signature; an intact one whose authority is not trusted is a note, and the signing time shown
is then the one the signer's computer claimed (``time_source`` says which).

Then the embedded exchange JSON is validated and scored again with its own template, and the
score printed on the pages, the SHA-256 printed under the QR code and the QR code itself must
all match it. ``VerifyResult.ok`` is False when anything fails.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import asdict, dataclass, field

from cryptography import x509
from pyhanko.pdf_utils.misc import PdfReadError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

from ..i18n import N_, Text, _
from ..pki.people import role_of
from ..pki.trust import REVOCATION_POLICY, TSA_REVOCATION_POLICY, to_asn1
from .datacheck import DataCheck, check_assessment_data, check_government_data, is_government_report
from .errors import ReportError
from .inspect import check_complete, report_facts
from .people import embedded_doc, signer_problem


# pyHanko logs a traceback when its difference analysis meets a forbidden change; that finding is
# reported in the result, so without a handler configured by the app it must not reach stderr.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())


@dataclass
class SignatureCheck:
    field: str
    signer: str
    role: str | None
    serial: str
    signed_at: str | None          # the time to rely on: see time_source
    time_source: str               # "timestamp" (a trusted TSA's) or "claimed" (signer's clock)
    claimed_at: str | None         # the time the signer's computer wrote into the signature
    timestamp: str | None          # the signature timestamp's time, trusted or not
    timestamp_tsa: str | None      # who issued it
    timestamp_trusted: bool | None  # None when there is no timestamp
    intact: bool
    trusted: bool
    revoked: bool
    modification_ok: bool
    changes_after: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # worth knowing, not failures


@dataclass
class VerifyResult:
    signatures: list[SignatureCheck]
    data: DataCheck
    problems: list[str]

    @property
    def ok(self) -> bool:
        return (bool(self.signatures) and all(s.ok for s in self.signatures)
                and self.data.ok and not self.problems)

    def to_json(self) -> dict:
        return {"ok": self.ok, "signatures": [asdict(s) for s in self.signatures],
                "data": asdict(self.data), "problems": self.problems}


def _name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # noqa: BLE001 - a strange subject is still shown somehow
        return str(cert.subject.human_friendly)


def _changes(status, later_fields: list[str]) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Text(N_("nothing: the signature covers the whole file"))
    level = status.modification_level
    if level is None or level == ModificationLevel.OTHER or not status.docmdp_ok:
        what = Text(N_("changed after signing in ways the signer did not allow"))
    elif level == ModificationLevel.LTA_UPDATES:
        what = Text(N_("only validation data was added"))
    elif level == ModificationLevel.FORM_FILLING:
        what = Text(N_("only signature fields were filled in, as allowed"))
    else:
        what = Text(N_("annotations or form fields were changed ({level})"),
                    level=level.name.lower())
    if not later_fields:
        return what
    return Text(N_("{what} (later signatures: {fields})"), what=what,
                fields=", ".join(later_fields))


def _context(reader, roots: list, crls: list[bytes], policy=REVOCATION_POLICY):
    kwargs = {"trust_roots": [to_asn1(r) for r in roots], "revinfo_policy": policy,
              "allow_fetching": False, "crls": list(crls)}
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        from pyhanko_certvalidator import ValidationContext
        return ValidationContext(**kwargs)


def _timestamp_facts(ts) -> tuple[str | None, str | None, bool | None, list[str], list[str]]:
    """(time, TSA name, trusted, problems, notes) of a signature timestamp (pyHanko status)."""
    if ts is None:
        return None, None, None, [], []
    when = ts.timestamp.isoformat() if ts.timestamp else None
    tsa = _name(ts.signing_cert) if ts.signing_cert is not None else None
    problems, notes = [], []
    if not (ts.intact and ts.valid):
        problems.append(Text(N_("the signature timestamp is broken: its token does not match "
                                "the signature or its own signature is invalid")))
    elif not ts.trusted:
        indic = ts.trust_problem_indic
        why = f" ({indic.name.lower().replace('_', ' ')})" if indic is not None else ""
        template = (N_("the timestamp by {tsa} is not trusted{why}: give the timestamp "
                       "authority's root certificate with --tsa-trust ROOT.pem; until then the "
                       "signing time is only the one the signer's computer claimed") if tsa else
                    N_("the timestamp by an unknown authority is not trusted{why}: give the "
                       "timestamp authority's root certificate with --tsa-trust ROOT.pem; until "
                       "then the signing time is only the one the signer's computer claimed"))
        notes.append(Text(template, tsa=tsa, why=why) if tsa else Text(template, why=why))
    return when, tsa, bool(ts.intact and ts.valid and ts.trusted), problems, notes


async def _check_signatures(data: bytes, root, crls, tsa_roots=(),
                            doc: dict | None = None, government: bool = False) -> list[SignatureCheck]:
    from cryptography.x509 import load_der_x509_certificate
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    sigs = list(reader.embedded_signatures)
    out = []
    for i, sig in enumerate(sigs):
        # people are trusted through the organisation's root only; a timestamp through it or
        # through a timestamp authority's root given for that purpose (never for people)
        status = await async_validate_pdf_signature(
            sig, _context(reader, [root], crls),
            ts_validation_context=_context(reader, [root, *tsa_roots], crls,
                                           TSA_REVOCATION_POLICY))
        cert = status.signing_cert
        problems = []
        if not status.intact:
            problems.append(Text(N_("the signed bytes were changed: the document is not what "
                                    "was signed")))
        if status.revoked:
            when = status.revocation_details.revocation_date if status.revocation_details else None
            problems.append(Text(N_("the signer's certificate is revoked (since {date})"),
                                 date=f"{when:%Y-%m-%d}") if when else
                            Text(N_("the signer's certificate is revoked")))
        elif status.intact and not status.trusted:
            indic = status.trust_problem_indic
            why = f" ({indic.name.lower().replace('_', ' ')})" if indic is not None else ""
            problems.append(Text(N_("the signer's certificate is not trusted: it does not chain "
                                    "to the given root or its revocation status is unknown{why}"),
                                 why=why))
        mod_ok = bool(status.docmdp_ok) or status.modification_level is None and \
            status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
        if not status.docmdp_ok and status.docmdp_ok is not None:
            problems.append(Text(N_("the document was changed after this signature in a way it "
                                    "forbids")))
        signer_cert = load_der_x509_certificate(cert.dump())
        mismatch = None if government else signer_problem(doc, sig.field_name, signer_cert)
        if mismatch is not None:
            problems.append(mismatch)
        later = [s.field_name for s in sigs[i + 1:]]
        ts_time, tsa, ts_trusted, ts_problems, notes = _timestamp_facts(status.timestamp_validity)
        problems += ts_problems
        claimed = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
        # pyHanko's bottom_line also fails a signature whose timestamp's TSA is not trusted; an
        # untrusted but intact timestamp leaves what a signature without one proves (who, and
        # that nothing changed), so it is a note here, and the time is then the claimed one.
        ok = bool(status.intact and status.valid and status.trusted and status.seed_value_ok
                  and (status.docmdp_ok or status.modification_level is None) and not problems)
        out.append(SignatureCheck(
            field=sig.field_name, signer=_name(cert),
            role=role_of(signer_cert),
            serial=f"{cert.serial_number:x}",
            signed_at=ts_time if ts_trusted else claimed,
            time_source="timestamp" if ts_trusted else "claimed",
            claimed_at=claimed, timestamp=ts_time, timestamp_tsa=tsa,
            timestamp_trusted=ts_trusted, intact=bool(status.intact),
            trusted=bool(status.trusted), revoked=bool(status.revoked), modification_ok=mod_ok,
            changes_after=_changes(status, later), ok=ok, problems=problems, notes=notes))
    return out


async def async_verify_report(data: bytes, root: x509.Certificate, *,
                              crls: list[bytes] = (),
                              tsa_roots: list[x509.Certificate] = ()) -> VerifyResult:
    """Verify ``data`` (a report PDF) against the organisation's ``root`` certificate.

    ``crls`` (DER) are revocation lists newer than the ones embedded at signing, e.g. the CA's
    current ``issuing.crl``: a certificate revoked since signing is then caught. ``tsa_roots``
    are root certificates of timestamp authorities, trusted for signature timestamps only
    (never for people's signatures)."""
    if not data.startswith(b"%PDF"):
        raise ReportError(_("the file is not a PDF"))
    check_complete(data)
    problems = []
    attachments = report_facts(data).attachments
    government = is_government_report(attachments)   # a government's results report (issue 10)
    doc = embedded_doc(attachments)
    try:
        signatures = await _check_signatures(data, root, list(crls), list(tsa_roots), doc,
                                             government)
    except (PdfReadError, PdfStrictReadError, KeyError, IndexError, ValueError) as exc:
        raise ReportError(_("the file is damaged and cannot be checked ({error}); ask for the "
                            "report again").format(error=str(exc).splitlines()[0] if str(exc)
                                                   else type(exc).__name__)) from None
    if not signatures:
        problems.append(Text(N_("the report carries no electronic signature")))
    return VerifyResult(signatures, check_government_data(data) if government
                        else check_assessment_data(data), problems)


def verify_report(data: bytes, root: x509.Certificate, *, crls: list[bytes] = (),
                  tsa_roots: list[x509.Certificate] = ()) -> VerifyResult:
    """Synchronous :func:`async_verify_report` (not for use inside a running event loop)."""
    return asyncio.run(async_verify_report(data, root, crls=crls, tsa_roots=tsa_roots))
