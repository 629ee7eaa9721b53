"""PDF assessment reports (Qt-free): build, sign, verify.

- :func:`build_report` (``builder``): reportlab draws the pages (``cover``, ``summary``,
  ``details``, ``findings``, ``signatures``, ``methodology``, ``photos``), ``package`` makes the
  file PDF/A-3b with the exchange JSON attached and two empty signature fields.
- :func:`sign_report` (``signing``): PAdES signatures through a replaceable :class:`Signer`
  (:class:`LocalP12Signer` today).
- :func:`verify_report` (``verify``): signatures (intact, trusted, not revoked, changes after),
  then the embedded data re-scored against the printed score and the QR code.
- ``cli``: ``assessor report|sign|verify``.
"""

from .builder import Report, build_report
from .errors import ReportError, SignatureInvalid, SigningRefused
from .signing import LocalP12Signer, SignPlan, Signer, async_sign_report, sign_report
from .verify import VerifyResult, async_verify_report, verify_report

__all__ = [
    "LocalP12Signer", "Report", "ReportError", "SignPlan", "SignatureInvalid", "Signer",
    "SigningRefused", "VerifyResult", "async_sign_report", "async_verify_report", "build_report",
    "sign_report", "verify_report",
]
