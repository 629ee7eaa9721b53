"""The organisation's two-level certificate authority: an offline root and an issuing CA.

Algorithms: every key (root, issuing CA, people) is **ECDSA on NIST P-256 with SHA-256**. It is
what PAdES, Adobe Reader, pyHanko and Windows all verify, keys are made in milliseconds on a field
laptop, and signatures stay small. RSA keys in a CSR are still accepted (see ``sign_csr``).

The root signs only the issuing CA; after :func:`init_ca` its key (``root-key.pem``) is needed by
nothing in this package and may be moved to offline media. The issuing CA signs people's
certificates and the revocation list. Both keys are PEM (PKCS#8) encrypted with the CA passphrase.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ..i18n import _
from . import storage
from .crl import write_crl
from .errors import PkiError, WrongPassphrase

HASH = hashes.SHA256
MIN_PASSPHRASE_LENGTH = 8
#: Certificates start this much before the moment of issue, so a laptop whose clock runs a little
#: behind the CA's can still sign with a certificate issued minutes ago.
BACKDATE = timedelta(hours=1)


@dataclass(frozen=True)
class CaInfo:
    """What :func:`init_ca` made. ``root_sha256`` is the fingerprint people compare when they
    import ``root.pem`` as a trusted root (e.g. in Adobe Reader), as colon-separated hex."""

    pki_dir: Path
    org_name: str
    root_subject: str
    issuing_subject: str
    root_sha256: str
    root_not_after: datetime
    issuing_not_after: datetime


@dataclass(frozen=True)
class IssuingCa:
    """The issuing CA's certificate and private key, loaded with the passphrase."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    org_name: str


def as_bytes(passphrase: bytes | str) -> bytes:
    """Passphrases are bytes; a ``str`` is taken as UTF-8 rather than failing with a traceback."""
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def check_new_passphrase(passphrase: bytes, what: str) -> None:
    if len(as_bytes(passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise PkiError(
            _("the {what} passphrase is too short: use at least {count} characters").format(
                what=what, count=MIN_PASSPHRASE_LENGTH)
        )


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def encrypt_key(key, passphrase: bytes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(as_bytes(passphrase)),
    )


def load_encrypted_key(path: Path, passphrase: bytes, what: str):
    """Load a PEM private key; a wrong passphrase names the file it did not open."""
    data = storage.read_bytes(path, what)
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data:
        raise PkiError(_("{path} is not an encrypted private key file; restore {what} from a "
                         "backup").format(path=path, what=what))
    try:
        return serialization.load_pem_private_key(data, password=as_bytes(passphrase))
    except (ValueError, TypeError):
        raise WrongPassphrase(_("wrong passphrase for {what} ({path})").format(
            what=what, path=path)) from None


def _name(common_name: str, org_name: str, country: str | None) -> x509.Name:
    attrs = []
    if country:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


def _ca_cert(subject, subject_key, issuer_cert, issuer_key, *, path_length, not_before, not_after):
    ski = x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key())
    if issuer_cert is None:  # self-signed root
        issuer_name = subject
        aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    else:
        issuer_name = issuer_cert.subject
        aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
            issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(aki, critical=False)
    )
    return builder.sign(issuer_key, HASH())


def _check_org_country(org_name: str, country: str) -> tuple[str, str]:
    org_name = (org_name or "").strip()
    if not org_name:
        raise PkiError(_('the organisation name is empty; give it, e.g. --org "Ombudsman RI"'))
    if len(org_name) > 64:
        raise PkiError(_("the organisation name is longer than 64 characters; use a shorter form"))
    country = (country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise PkiError(_("country {country} is not a two-letter ISO 3166 code such as ID").format(
            country=repr(country)))
    return org_name, country


def _years(years: int) -> timedelta:
    return timedelta(days=round(365.25 * years))


def ca_exists(pki_dir: Path) -> bool:
    names = (storage.ROOT_CERT, storage.ROOT_KEY, storage.ISSUING_CERT, storage.ISSUING_KEY,
             storage.INDEX_FILE)
    return any((Path(pki_dir) / n).exists() for n in names)


def init_ca(
    pki_dir: str | os.PathLike,
    org_name: str,
    passphrase: bytes,
    *,
    country: str = "ID",
    years_root: int = 20,
    years_issuing: int = 10,
) -> CaInfo:
    """Create the root and issuing CA, an empty CRL and the ledger in ``pki_dir``.

    Refuses a folder that already holds a CA. Both keys are encrypted with ``passphrase`` (at least
    8 bytes). Example: ``init_ca(data_dir / "pki", "Ombudsman RI", b"correct horse battery")``.
    """
    pki_dir = Path(pki_dir)
    org_name, country = _check_org_country(org_name, country)
    check_new_passphrase(passphrase, "CA")
    if not (1 <= years_issuing <= years_root <= 50):
        raise PkiError(_("CA lifetimes must satisfy 1 <= years_issuing <= years_root <= 50"))
    if ca_exists(pki_dir):
        raise PkiError(
            _("a CA already exists in {path}; it is never overwritten. Use another --pki-dir, or "
              "move the old folder away if you really mean to start over").format(path=pki_dir)
        )

    now = datetime.now(timezone.utc).replace(microsecond=0)
    root_key, issuing_key = new_key(), new_key()
    root_name = _name(f"{org_name} Root CA", org_name, country)
    root = _ca_cert(root_name, root_key, None, root_key, path_length=1,
                    not_before=now - BACKDATE, not_after=now + _years(years_root))
    issuing = _ca_cert(_name(f"{org_name} Issuing CA", org_name, country), issuing_key, root,
                       root_key, path_length=0, not_before=now - BACKDATE,
                       not_after=now + _years(years_issuing))

    pem = serialization.Encoding.PEM
    # Keys first: a crash part-way leaves files that make ca_exists() refuse a silent redo.
    storage.write_atomic(pki_dir / storage.ROOT_KEY, encrypt_key(root_key, passphrase),
                         private=True, exclusive=True)
    storage.write_atomic(pki_dir / storage.ISSUING_KEY, encrypt_key(issuing_key, passphrase),
                         private=True, exclusive=True)
    storage.write_atomic(pki_dir / storage.ROOT_CERT, root.public_bytes(pem), exclusive=True)
    storage.write_atomic(pki_dir / storage.ISSUING_CERT, issuing.public_bytes(pem), exclusive=True)
    ledger = storage.new_ledger(org_name)
    ca = IssuingCa(cert=issuing, key=issuing_key, root=root, org_name=org_name)
    write_crl(pki_dir, ca, ledger)  # saves the ledger, then issuing.crl
    return CaInfo(
        pki_dir=pki_dir,
        org_name=org_name,
        root_subject=root.subject.rfc4514_string(),
        issuing_subject=issuing.subject.rfc4514_string(),
        root_sha256=fingerprint(root),
        root_not_after=root.not_valid_after_utc,
        issuing_not_after=issuing.not_valid_after_utc,
    )


def _load_cert(path: Path, what: str) -> x509.Certificate:
    data = storage.read_bytes(path, what)
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        raise PkiError(_("{path} is not a PEM certificate; restore {what} from a backup").format(
            path=path, what=what)) from None


def ca_certificates(pki_dir: str | os.PathLike) -> tuple[x509.Certificate, x509.Certificate]:
    """``(root, issuing)`` certificates of the CA in ``pki_dir``; no passphrase needed."""
    pki_dir = Path(pki_dir)
    return (_load_cert(pki_dir / storage.ROOT_CERT, _("the root certificate")),
            _load_cert(pki_dir / storage.ISSUING_CERT, _("the issuing CA certificate")))


def load_issuing_ca(pki_dir: Path, passphrase: bytes) -> IssuingCa:
    """The issuing CA with its key; raises :class:`WrongPassphrase` naming the key file."""
    root, cert = ca_certificates(pki_dir)
    key = load_encrypted_key(Path(pki_dir) / storage.ISSUING_KEY, passphrase, _("the CA key"))
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise PkiError(
            _("the CA key ({path}) does not belong to {cert}; the CA folder is mixed up, restore "
              "it from a backup").format(path=Path(pki_dir) / storage.ISSUING_KEY,
                                         cert=storage.ISSUING_CERT)
        )
    orgs = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    org_name = str(orgs[0].value) if orgs else ""
    return IssuingCa(cert=cert, key=key, root=root, org_name=org_name)
