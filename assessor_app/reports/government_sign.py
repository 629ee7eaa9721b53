"""Signing and checking a government's results report (issue 10).

The report (:mod:`assessor_app.reports.government`) carries an empty signature box ``Office``
and its results data attached. Signing reuses the assessment reports' pieces
(:mod:`assessor_app.reports.signing`: the :class:`Signer`, :class:`SignPlan`, the signature
appearance and the checks of the certificate against the CA's revocation list): one PAdES
certification signature by the office. :func:`check_government_data` is what ``assessor verify``
runs on such a report instead of the assessment data check: the printed score and rank must be
the ones in the attached data.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from ..i18n import _, shown, translate
from ..pki import check_signing_certificate
from ..pki.people import name_of
from ..pki.trust import validation_context
from .appearance import appearance_pdf
from .errors import SigningRefused
from .government import OFFICE_FIELD
from .datacheck import check_government_data, is_government_report
from .inspect import report_facts
from .signing import SignPlan, Signer, _field_size, _issuer_and_root


async def async_sign_government(pdf: bytes, signer: Signer, *, crl_der: bytes | None,
                                lang: str = "id", now: datetime | None = None) -> bytes:
    """Sign a government results report in its ``Office`` box (a certification signature).
    Refusals (:class:`SigningRefused`, ``CertificateRejected``) say what to do."""
    t = lambda m: translate(m, lang)  # noqa: E731
    facts = report_facts(pdf)
    if OFFICE_FIELD not in facts.fields or not is_government_report(facts.attachments):
        raise SigningRefused(_("this PDF is not a government results report (no {field} "
                               "signature box); generate it with 'assessor-server "
                               "report-government'").format(field=OFFICE_FIELD))
    if facts.fields[OFFICE_FIELD]:
        raise SigningRefused(_("this government results report is already signed"))
    if crl_der is None:
        raise SigningRefused(_("no revocation list (CRL) of the organisation's CA was found; "
                               "give it with --crl FILE or publish it to the server "
                               "(assessor-server crl FILE) and try again"))
    check = check_government_data(pdf)
    if not check.ok:
        raise SigningRefused(_("the data attached to this report no longer matches what it prints "
                               "({problem}); generate the report again before signing").format(
            problem=shown(check.problems[0])))
    now = now or datetime.now(timezone.utc)
    cert = signer.certificate
    issuer, root = _issuer_and_root(cert, signer.chain)
    check_signing_certificate(cert, role=None, at=now, crl_der=crl_der, issuer=issuer)
    box = _field_size(pdf, OFFICE_FIELD)
    lines = [t("Electronically signed by"), name_of(cert),
             f"{t('Office')} · {now.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"]
    plan = SignPlan(field_name=OFFICE_FIELD, certify=True,
                    appearance=appearance_pdf(*box, lines=lines, png=None),
                    validation_context=validation_context(root, crls=[crl_der], other_certs=[issuer]),
                    reason=t("Results report issued by the office"))
    return await signer.async_sign(pdf, plan)


def sign_government(pdf: bytes, signer: Signer, **kwargs) -> bytes:
    """Synchronous :func:`async_sign_government` (for the CLI, not inside an event loop)."""
    return asyncio.run(async_sign_government(pdf, signer, **kwargs))
