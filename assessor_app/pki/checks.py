"""May this certificate sign a report now? Checked before signing, with a message for the person.

This is a quick local check (dates, role, key usage, the CA's CRL), not path validation: the
signature itself is validated by pyHanko against the organisation's root.
"""

from __future__ import annotations

from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from ..i18n import _
from .errors import CertificateRejected, PkiError
from .people import ROLES, a_role, name_of, role_of
from .revocation import load_crl


def check_signing_certificate(
    cert: x509.Certificate,
    *,
    role: str | None,
    at: datetime | None = None,
    crl_der: bytes | None = None,
    issuer: x509.Certificate | None = None,
) -> None:
    """Raise :class:`CertificateRejected` unless ``cert`` may sign as ``role`` at ``at`` (now).

    ``role`` is ``"inspector"``, ``"supervisor"`` or ``None`` for either. With ``crl_der`` (the
    CA's CRL, DER or PEM) a revoked certificate is refused: one revoked before ``at``, or for key
    compromise at any time. With ``issuer`` (the issuing CA certificate) the certificate's and
    the CRL's signatures are checked too.
    """
    at = at or datetime.now(timezone.utc)
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    who = _("the certificate of {name}").format(name=name_of(cert))

    if cert.not_valid_after_utc < at:
        raise CertificateRejected(
            _("{who} expired on {date}; ask the CA administrator for a new one").format(
                who=who, date=f"{cert.not_valid_after_utc:%Y-%m-%d}")
        )
    if cert.not_valid_before_utc > at:
        raise CertificateRejected(
            _("{who} is valid only from {date} UTC; check this computer's date and time").format(
                who=who, date=f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M}")
        )

    if issuer is not None:
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            raise CertificateRejected(
                _("{who} was not issued by {issuer}").format(
                    who=who, issuer=issuer.subject.rfc4514_string())
            ) from None

    if crl_der is not None:
        _check_not_revoked(cert, who, load_crl(crl_der), at, issuer)

    if role is not None:
        wanted = role.strip().lower()
        if wanted not in ROLES:
            raise PkiError(_("unknown role {role}; use one of: {roles}").format(
                role=repr(role), roles=", ".join(ROLES)))
        actual = role_of(cert)
        if actual is None:
            raise CertificateRejected(
                _("{who} carries no Assessor role; ask the CA administrator for {role} "
                  "certificate").format(who=who, role=a_role(wanted))
            )
        if actual != wanted:
            raise CertificateRejected(_("{who} is for {actual}, not {wanted}").format(
                who=who, actual=a_role(actual), wanted=a_role(wanted)))

    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        allowed = usage.content_commitment
    except x509.ExtensionNotFound:
        allowed = False
    if not allowed:
        raise CertificateRejected(
            _("{who} does not allow signing documents (key usage nonRepudiation is missing)")
            .format(who=who)
        )


def _check_not_revoked(cert, who, crl: x509.CertificateRevocationList, at, issuer) -> None:
    if crl.issuer != cert.issuer:
        raise PkiError(
            _("the revocation list comes from {crl_issuer}, but {who} was issued by {issuer}; "
              "sync to get the right list").format(crl_issuer=crl.issuer.rfc4514_string(),
                                                   who=who, issuer=cert.issuer.rfc4514_string())
        )
    if issuer is not None and not crl.is_signature_valid(issuer.public_key()):
        raise PkiError(_("the revocation list's signature does not verify; sync to get a fresh "
                         "copy"))
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is None:
        return
    try:
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    except x509.ExtensionNotFound:
        reason = x509.ReasonFlags.unspecified
    when = entry.revocation_date_utc
    if when <= at or reason == x509.ReasonFlags.key_compromise:
        because = ""
        if reason != x509.ReasonFlags.unspecified:
            because = f" ({reason.name.replace('_', ' ')})"
        raise CertificateRejected(
            _("{who} (serial {serial}) was revoked on {date}{reason}; it can no longer sign")
            .format(who=who, serial=f"{cert.serial_number:x}", date=f"{when:%Y-%m-%d}",
                    reason=because)
        )
