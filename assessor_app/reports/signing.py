"""Signing a report (PAdES): a replaceable :class:`Signer`, and the rules of who signs when.

The inspector signs a completed report first, with a certification signature (DocMDP: form
filling and signing still allowed); the supervisor countersigns later in the field whose
``/Lock`` locks the document, with a timestamp when a timestamp server is configured. Each
signature is an incremental update, so the earlier one stays valid. The CA's revocation list is
embedded (people's certificates name no CRL distribution point).

:class:`Signer` is the replaceable part: :class:`LocalP12Signer` signs with a PKCS#12 file on
this computer; a certified provider that signs on its own server (e.g. BSrE) implements the same
``async_sign`` with pyHanko's remote-signing support, and everything else here stays.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as sig_fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp import StaticStampStyle

from ..i18n import _, shown, translate
from ..pki import check_signing_certificate, load_p12
from ..pki.people import name_of
from ..pki.trust import to_asn1, validation_context
from .appearance import appearance_pdf
from .data import FINAL_STATUSES
from .datacheck import check_assessment_data
from .errors import SigningRefused
from .inspect import report_facts
from .package import FIELDS
from .people import drawn_owner_field, embedded_doc, inspector_field_for, inspectors_of, signer_problem

ROLES = tuple(FIELDS)


class _QuietFetching(logging.Filter):
    """We embed the CRL we were given and never fetch: pyHanko's warning about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_QuietFetching())


@dataclass
class SignPlan:
    """What one signature must be; built by :func:`async_sign_report`, consumed by a Signer."""

    field_name: str
    certify: bool
    appearance: bytes             # one-page PDF, the size of the field
    validation_context: object    # pyhanko ValidationContext (root + CRL) to embed revocation info
    reason: str
    tsa_url: str | None = None


@runtime_checkable
class Signer(Protocol):
    """Something that holds a signing certificate and can sign a prepared report."""

    certificate: x509.Certificate
    chain: list[x509.Certificate]

    async def async_sign(self, pdf: bytes, plan: SignPlan) -> bytes:
        """Return ``pdf`` with one more signature, in ``plan.field_name`` (incremental update)."""
        ...


class _PdfBytesPage(PdfContent):
    """pyHanko's ImportedPdfPage, from bytes instead of a file name."""

    def __init__(self, data: bytes):
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)))
        self.resources.xobject["/Appearance"] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/Appearance Do"


class Pdf17Signer(signers.PdfSigner):
    """pyHanko's PdfSigner, minus one step: for ECDSA keys (ours are P-256) it declares the
    ISO 32002 extension, which moves the file to PDF 2.0 and so out of PDF/A-3 (a PDF 1.7
    profile). ECDSA signatures are valid in PDF 1.7 with the ETSI (PAdES) extension, which is
    kept; Adobe Reader, poppler and pyHanko verify them."""

    def register_extensions(self, pdf_out, *, md_algorithm: str):
        from pyhanko.sign.signers import constants
        if self.signature_meta.subfilter == sig_fields.SigSeedSubFilter.PADES:
            pdf_out.ensure_output_version(version=(1, 7))
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)


class LocalP12Signer:
    """Signs with a key and certificate from a passphrase-protected PKCS#12 file."""

    def __init__(self, key, certificate: x509.Certificate, chain: list[x509.Certificate]):
        self.key, self.certificate, self.chain = key, certificate, list(chain)

    @classmethod
    def open(cls, path: str | Path, passphrase: bytes) -> LocalP12Signer:
        """Raises ``WrongPassphrase`` / ``PkiError`` with a plain message."""
        if not Path(path).expanduser().is_file():
            raise SigningRefused(_("your certificate file {path} was not found; give the .p12 "
                                   "file the CA administrator gave you (--p12 FILE)").format(
                path=path))
        key, cert, chain = load_p12(Path(path).expanduser(), passphrase)
        return cls(key, cert, chain)

    def _pyhanko_signer(self) -> signers.SimpleSigner:
        from asn1crypto import keys
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        der = self.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return signers.SimpleSigner(
            signing_cert=to_asn1(self.certificate), signing_key=keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([to_asn1(c) for c in self.chain]))

    async def async_sign(self, pdf: bytes, plan: SignPlan) -> bytes:
        timestamper = _TsaClient(plan.tsa_url) if plan.tsa_url else None
        meta = signers.PdfSignatureMetadata(
            field_name=plan.field_name, certify=plan.certify,
            docmdp_permissions=(sig_fields.MDPPerm.FILL_FORMS if plan.certify
                                else sig_fields.MDPPerm.NO_CHANGES),
            subfilter=sig_fields.SigSeedSubFilter.PADES, reason=plan.reason,
            validation_context=plan.validation_context, embed_validation_info=True,
            use_pades_lta=False)
        style = StaticStampStyle(
            background=_PdfBytesPage(plan.appearance), border_width=0, background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0)))
        pdf_signer = Pdf17Signer(meta, signer=self._pyhanko_signer(), stamp_style=style,
                                       timestamper=timestamper)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        try:
            out = await pdf_signer.async_sign_pdf(writer, existing_fields_only=True)
        except TimestampRequestError as exc:
            raise SigningRefused(_tsa_failure(plan.tsa_url, exc)) from None
        except (ValueError, TypeError, KeyError) as exc:
            if timestamper is None:
                raise
            # asn1crypto's errors for a reply that is not a timestamp response
            raise SigningRefused(_tsa_failure(plan.tsa_url, exc)) from None
        except SigningError as exc:
            raise SigningRefused(_("the signature could not be made: {error}").format(
                error=exc)) from None
        signed = out.getvalue()
        if timestamper is not None:
            await _check_timestamp(signed, plan)
        return signed


class _TsaClient(HTTPTimeStamper):
    """pyHanko's HTTP timestamp client (aiohttp), for a TSA outside the organisation's CA.

    Before signing, pyHanko validates the TSA's certificate with the signature's validation
    context to embed its revocation data, and fails with an unhandled ``PathBuildingError`` when
    the TSA does not chain to the organisation's root, which is the usual case (a commercial or
    government TSA). That data is optional for PAdES B-T: a TSA outside our CA is skipped here,
    and trusting it is the verifier's decision (``assessor verify --tsa-trust``). A TSA issued
    by our own CA is still validated and its revocation data embedded."""

    async def validation_paths(self, validation_context):
        from pyhanko_certvalidator.errors import PathBuildingError
        try:
            async for path in super().validation_paths(validation_context):
                yield path
        except PathBuildingError:
            return


def _tsa_failure(url: str | None, exc: BaseException, *, setting: bool = False) -> str:
    """Why the timestamp server ``url`` failed, in the current language. ``setting``: it was
    being saved as the setting tsa_url (which stays unchanged), else a report was being signed
    (nothing was written)."""
    if isinstance(exc, (TypeError, KeyError)) or (isinstance(exc, ValueError)
                                                  and not isinstance(exc, _TokenMismatch)):
        # asn1crypto cannot read the reply: not RFC 3161, or a refusal (asn1crypto's
        # TimeStampResp requires a token, which a refusal does not carry)
        reason = _("its reply is not a timestamp (the server refused the request, or it is "
                   "not an RFC 3161 timestamp server)")
    else:
        reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        cause = exc.__cause__
        if cause is not None and str(cause).strip():
            reason += f" ({str(cause).strip().splitlines()[0]})"
    if setting:
        return _("the timestamp server {url} gave no valid timestamp: {reason}. The setting was "
                 "not changed; check the address (--tsa, or the setting tsa_url) and the "
                 "connection, and try again").format(url=url, reason=reason)
    return _("the timestamp server {url} gave no valid timestamp: {reason}. Nothing was "
             "written; check the address (--tsa, or the setting tsa_url) and the connection, "
             "and try again").format(url=url, reason=reason)


class _TokenMismatch(ValueError):
    pass


async def _check_timestamp(signed: bytes, plan: SignPlan) -> None:
    """The new signature must carry an intact timestamp token over its own signature value;
    pyHanko checks only the reply's status and nonce. Trusting the TSA is the verifier's part."""
    from pyhanko.sign.validation import async_validate_pdf_signature
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    sig = next((s for s in reader.embedded_signatures if s.field_name == plan.field_name), None)
    ts = None
    if sig is not None:
        status = await async_validate_pdf_signature(sig, plan.validation_context)
        ts = status.timestamp_validity
    if ts is None or not (ts.intact and ts.valid):
        raise SigningRefused(_tsa_failure(plan.tsa_url, _TokenMismatch(
            _("its token does not match the signature") if ts is not None
            else _("the signature carries no timestamp token"))))


def _issuer_and_root(cert: x509.Certificate, chain: list[x509.Certificate]):
    issuer = next((c for c in chain if c.subject == cert.issuer), None)
    root = next((c for c in chain if c.subject == c.issuer), None)
    if issuer is None or root is None:
        raise SigningRefused(_("the certificate file does not hold the issuing and root "
                               "certificates; ask the CA administrator for a new .p12 file"))
    return issuer, root


async def async_sign_report(pdf: bytes, signer: Signer, role: str, *, crl_der: bytes | None,
                            tsa_url: str | None = None, drawn_png: bytes | None = None,
                            lang: str = "id", now: datetime | None = None) -> bytes:
    """Check that ``signer`` may sign ``pdf`` as ``role`` now, then sign. Returns the new bytes.

    Refusals (:class:`SigningRefused`, ``CertificateRejected``) say what to do; nothing is
    written by this function."""
    t = lambda m: translate(m, lang)  # noqa: E731
    role = (role or "").strip().lower()
    if role not in ROLES:
        raise SigningRefused(_("a report is signed as inspector or supervisor, not {role}").format(
            role=repr(role)))
    facts = report_facts(pdf)
    if not facts.fields:
        raise SigningRefused(_("this PDF has no {field} signature field: is it an Assessor "
                               "report? Generate it again with 'assessor report'").format(
            field=FIELDS[role]))
    if facts.status not in FINAL_STATUSES:
        raise SigningRefused(_("this report is a DRAFT (the assessment is not completed); "
                               "complete the assessment and generate the report again before "
                               "signing"))
    if facts.fields.get(FIELDS["supervisor"]):
        raise SigningRefused(_("the supervisor's signature is already in this report; a report is "
                               "signed once per role"))
    if role == "supervisor" and not any(v for k, v in facts.fields.items()
                                        if k != FIELDS["supervisor"]):
        raise SigningRefused(_("the inspector has not signed this report yet; the supervisor "
                               "countersigns after the inspector"))
    tsa_url = (tsa_url or "").strip() or None
    if tsa_url and role == "supervisor" and not tsa_url.lower().startswith(("http://", "https://")):
        raise SigningRefused(_("the timestamp server address {url} is not an http:// or "
                               "https:// URL; correct --tsa or the setting tsa_url").format(
            url=repr(tsa_url)))
    if crl_der is None:
        raise SigningRefused(_("no revocation list (CRL) of the organisation's CA was found; "
                               "give it with --crl FILE (issuing.crl, brought by every sync) and "
                               "try again"))
    _check_printed_data(pdf)
    now = now or datetime.now(timezone.utc)
    cert = signer.certificate
    issuer, root = _issuer_and_root(cert, signer.chain)
    check_signing_certificate(cert, role=role, at=now, crl_der=crl_der, issuer=issuer)
    doc = embedded_doc(facts.attachments)
    if role == "inspector":
        field = inspector_field_for(doc, cert)
        if field is None:
            raise SigningRefused(_("{name} is not one of the inspectors this report names ({names}); "
                                   "each inspector signs with their own certificate").format(
                name=name_of(cert), names=", ".join(inspectors_of(doc)) or "-"))
        if field not in facts.fields:
            raise SigningRefused(_("this report has no signature box for {name}; generate it again "
                                   "with 'assessor report'").format(name=name_of(cert)))
        if facts.fields[field]:
            raise SigningRefused(_("{name} has already signed this report; a report is signed once "
                                   "per person").format(name=name_of(cert)))
    else:
        field = FIELDS["supervisor"]
        if field not in facts.fields:
            raise SigningRefused(_("this PDF has no {field} signature field: is it an Assessor "
                                   "report? Generate it again with 'assessor report'").format(
                field=field))
    problem = signer_problem(doc, field, cert)
    if problem is not None:
        raise SigningRefused(shown(problem))

    if drawn_png is None and role == "inspector" and field == drawn_owner_field(doc):
        drawn_png = facts.attachments.get("signature-inspector.png")
    box = _field_size(pdf, field)
    who = t("Inspector") if role == "inspector" else t("Supervisor")
    lines = [t("Electronically signed by"), name_of(cert),
             f"{who} · {now.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"]
    plan = SignPlan(
        field_name=field, certify=not any(facts.fields.values()),
        appearance=appearance_pdf(*box, lines=lines, png=drawn_png),
        validation_context=validation_context(root, crls=[crl_der], other_certs=[issuer]),
        reason=t("Assessment report signed by the inspector") if role == "inspector"
        else t("Assessment report approved by the supervisor"),
        tsa_url=tsa_url if role == "supervisor" else None)
    return await signer.async_sign(pdf, plan)


def _check_printed_data(pdf: bytes) -> None:
    """Refuse a report whose attached data no longer gives the score, fingerprint and QR code
    printed on its pages (a signature would vouch for a report that contradicts itself)."""
    check = check_assessment_data(pdf)
    if not check.ok:
        raise SigningRefused(_("the data attached to this report no longer matches what it prints "
                               "({problem}); generate the report again before signing").format(
            problem=shown(check.problems[0]) if check.problems else "?"))


def sign_report(pdf: bytes, signer: Signer, role: str, **kwargs) -> bytes:
    """Synchronous :func:`async_sign_report` (for the CLI and worker threads, not event loops)."""
    return asyncio.run(async_sign_report(pdf, signer, role, **kwargs))


def _field_size(pdf: bytes, field_name: str) -> tuple[float, float]:
    from .inspect import open_pdf
    with open_pdf(pdf) as doc:
        for f in doc.Root.AcroForm.Fields:
            if str(f.get("/T")) == field_name:
                x1, y1, x2, y2 = (float(v) for v in f.Rect)
                return abs(x2 - x1), abs(y2 - y1)
    raise SigningRefused(_("no {field} signature field in this PDF").format(field=field_name))
