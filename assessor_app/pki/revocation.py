"""Revocation: the issuing CA's certificate revocation list (CRL) and the ledger's revoked entries.

The CRL (``issuing.crl``, DER) is re-signed on every revocation and by :func:`refresh_crl`, each
time with a higher CRL number and a nextUpdate :data:`CRL_VALIDITY` ahead. It travels with every
sync and is embedded in signed reports, so keep it fresh: re-sign it at least monthly.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ..i18n import _
from . import storage
from .authority import HASH, IssuingCa, load_issuing_ca
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


def write_crl(pki_dir: Path, ca: IssuingCa, ledger: dict, *, now: datetime | None = None) -> bytes:
    """Sign a CRL listing every revoked entry of ``ledger``; save the ledger, then the CRL.

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
    crl = builder.sign(ca.key, HASH())
    der = crl.public_bytes(serialization.Encoding.DER)
    ledger["crl_number"] = number
    storage.save_ledger(pki_dir, ledger)
    storage.write_atomic(Path(pki_dir) / storage.CRL_FILE, der)
    return der


def revoke(
    pki_dir: str | os.PathLike,
    ca_passphrase: bytes,
    serial: int,
    reason: str = "unspecified",
) -> None:
    """Mark certificate ``serial`` revoked in the ledger and re-sign the CRL.

    Refuses a serial this CA never issued and one already revoked (the first date stands).
    """
    pki_dir = Path(pki_dir)
    reason = normalise_reason(reason)
    ca = load_issuing_ca(pki_dir, ca_passphrase)
    ledger = storage.load_ledger(pki_dir)
    entries = ledger["certificates"]
    index = next((i for i, e in enumerate(entries) if int(e["serial"], 16) == serial), None)
    if index is None:
        raise PkiError(
            _("no certificate with serial {serial} was issued by this CA ({path}); "
              "`assessor pki list` shows the serials").format(serial=f"{serial:x}", path=pki_dir)
        )
    if entries[index].get("revoked_at"):
        raise PkiError(
            _("certificate {serial} was already revoked on {date}").format(
                serial=f"{serial:x}", date=entries[index]["revoked_at"])
        )
    now = datetime.now(timezone.utc).replace(microsecond=0)
    entries[index]["revoked_at"] = now.isoformat()
    entries[index]["reason"] = reason
    write_crl(pki_dir, ca, ledger, now=now)


def refresh_crl(pki_dir: str | os.PathLike, ca_passphrase: bytes) -> bytes:
    """Re-sign the CRL with the same entries and a new nextUpdate; returns it (DER)."""
    pki_dir = Path(pki_dir)
    ledger = storage.load_ledger(pki_dir)
    ca = load_issuing_ca(pki_dir, ca_passphrase)
    return write_crl(pki_dir, ca, ledger)


def current_crl(pki_dir: str | os.PathLike) -> bytes:
    """The CRL as last signed (DER); no passphrase needed."""
    return storage.read_bytes(Path(pki_dir) / storage.CRL_FILE, _("the revocation list"))


def load_crl(crl_der: bytes) -> x509.CertificateRevocationList:
    try:
        return x509.load_der_x509_crl(crl_der)
    except ValueError:
        try:
            return x509.load_pem_x509_crl(crl_der)
        except ValueError:
            raise PkiError(_("the revocation list is damaged or not a CRL file")) from None


def crl_is_stale(crl_der: bytes, *, at: datetime | None = None) -> bool:
    """True when the CRL's nextUpdate has passed: re-sign it with ``refresh_crl``."""
    crl = load_crl(crl_der)
    next_update = crl.next_update_utc
    return next_update is not None and next_update <= (at or datetime.now(timezone.utc))


def is_revoked(pki_dir: str | os.PathLike, serial: int) -> bool:
    """Whether the CA's ledger lists ``serial`` as revoked (False for serials it never issued)."""
    return any(
        info.serial == serial and info.revoked for info in storage.list_certificates(pki_dir)
    )
