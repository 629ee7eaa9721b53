"""Writing the issuing CA's certificate revocation list (CRL), and the revocation reasons.

Below both ``authority`` (which writes the first, empty CRL when it creates the CA) and
``revocation`` (which re-signs it on each revocation), so neither imports the other back.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from ..i18n import _
from . import storage
from .errors import PkiError

CRL_VALIDITY = timedelta(days=30)

#: Reasons an administrator may give (RFC 5280 names, in Python spelling).
REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "affiliation_changed": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
    "privilege_withdrawn": x509.ReasonFlags.privilege_withdrawn,
}


def normalise_reason(reason: str) -> str:
    """``"key-compromise"``, ``"keyCompromise"`` and ``"key_compromise"`` all mean the same."""
    text = (reason or "unspecified").strip()
    snake = "".join("_" + c.lower() if c.isupper() else c for c in text).replace("-", "_")
    snake = snake.strip("_").replace("__", "_")
    if snake not in REASONS:
        raise PkiError(_("unknown revocation reason {reason}; use one of: {reasons}").format(
            reason=repr(reason), reasons=", ".join(REASONS)))
    return snake


def write_crl(pki_dir: Path, ca, ledger: dict, *, now: datetime | None = None) -> bytes:
    """Sign a CRL listing every revoked entry of ``ledger`` with ``ca`` (an
    ``authority.IssuingCa``: its ``cert`` and ``key``); save the ledger, then the CRL.

    The ledger (which holds the CRL number) is the source of truth and is saved first: after a
    crash in between, the CRL is merely stale and the next re-signing repairs it.
    """
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    number = int(ledger.get("crl_number", 0)) + 1
    ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now)
        .next_update(now + CRL_VALIDITY)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    )
    for info in storage.ledger_entries(ledger):
        if info.revoked_at is None:
            continue
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(info.serial)
            .revocation_date(info.revoked_at)
        )
        # RFC 5280 5.3.1: the reason code "unspecified" SHOULD be absent.
        if info.reason and info.reason != "unspecified":
            entry = entry.add_extension(x509.CRLReason(REASONS[info.reason]), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    crl = builder.sign(ca.key, hashes.SHA256())
    der = crl.public_bytes(serialization.Encoding.DER)
    ledger["crl_number"] = number
    storage.save_ledger(pki_dir, ledger)
    storage.write_atomic(Path(pki_dir) / storage.CRL_FILE, der)
    return der
