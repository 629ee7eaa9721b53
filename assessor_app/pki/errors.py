"""Failures of the certificate authority, each with a message a person can act on."""

from __future__ import annotations

from ..errors import UserError


class PkiError(UserError):
    """A failure of the CA, a certificate or a key file; ``str()`` says what to do."""


class WrongPassphrase(PkiError):
    """A passphrase did not open a key file (CA key PEM or a person's PKCS#12)."""


class CertificateRejected(PkiError):
    """A certificate may not be used for signing: expired, not yet valid, revoked or wrong role."""
