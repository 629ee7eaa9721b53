"""Failures of report generation, signing and verification, each with a message to act on."""

from __future__ import annotations

from ..errors import UserError


class ReportError(UserError):
    """A report could not be generated or read (missing assessment, unreadable PDF, bad option)."""


class SigningRefused(UserError):
    """A report may not be signed as asked: wrong state, field already signed, no CRL, ..."""


class SignatureInvalid(UserError):
    """A signed report failed verification in a way that stops the check itself."""
