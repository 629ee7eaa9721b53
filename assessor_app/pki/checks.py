"""May this certificate sign a report now? Checked before signing, with a message for the person.

This is a quick local check (dates, role, key usage, the CA's CRL), not path validation: the
signature itself is validated by pyHanko against the organisation's root.
"""

from __future__ import annotations

from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature

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
    who = f"the certificate of {name_of(cert)}"

    if cert.not_valid_after_utc < at:
        raise CertificateRejected(
            f"{who} expired on {cert.not_valid_after_utc:%Y-%m-%d}; "
            "ask the CA administrator for a new one"
        )
    if cert.not_valid_before_utc > at:
        raise CertificateRejected(
            f"{who} is valid only from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC; "
            "check this computer's date and time"
        )

    if issuer is not None:
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            raise CertificateRejected(
                f"{who} was not issued by {issuer.subject.rfc4514_string()}"
            ) from None

    if crl_der is not None:
        _check_not_revoked(cert, who, load_crl(crl_der), at, issuer)

    if role is not None:
        wanted = role.strip().lower()
        if wanted not in ROLES:
            raise PkiError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        actual = role_of(cert)
        if actual is None:
            raise CertificateRejected(
                f"{who} carries no Assessor role; "
                f"ask the CA administrator for {a_role(wanted)} certificate"
            )
        if actual != wanted:
            raise CertificateRejected(f"{who} is for {a_role(actual)}, not {a_role(wanted)}")

    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        allowed = usage.content_commitment
    except x509.ExtensionNotFound:
        allowed = False
    if not allowed:
        raise CertificateRejected(
            f"{who} does not allow signing documents (key usage nonRepudiation is missing)"
        )


def _check_not_revoked(cert, who, crl: x509.CertificateRevocationList, at, issuer) -> None:
    if crl.issuer != cert.issuer:
        raise PkiError(
            f"the revocation list comes from {crl.issuer.rfc4514_string()}, but {who} was "
            f"issued by {cert.issuer.rfc4514_string()}; sync to get the right list"
        )
    if issuer is not None and not crl.is_signature_valid(issuer.public_key()):
        raise PkiError("the revocation list's signature does not verify; sync to get a fresh copy")
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
            f"{who} (serial {cert.serial_number:x}) was revoked on {when:%Y-%m-%d}{because}; "
            "it can no longer sign"
        )
