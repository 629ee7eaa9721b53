"""Revocation: the issuing CA's certificate revocation list (CRL) and the ledger's revoked entries.

The CRL (``issuing.crl``, DER) is re-signed on every revocation and by :func:`refresh_crl`, each
time with a higher CRL number and a nextUpdate :data:`assessor_app.pki.crl.CRL_VALIDITY` ahead. It travels with every
sync and is embedded in signed reports, so keep it fresh: re-sign it at least monthly.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509

from ..i18n import _
from . import storage
from .authority import load_issuing_ca
from .crl import normalise_reason, write_crl
from .errors import PkiError

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
