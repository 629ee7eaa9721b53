"""People's signing certificates: issue one with a PKCS#12 file, or sign a person's own CSR.

**Role encoding.** A person's role sits in the subject's ``title`` attribute (OID 2.5.4.12), one
of :data:`ROLES`, e.g. ``CN=Siti Rahma,title=inspector,O=Ombudsman RI,C=ID``. ``title`` is the
X.520 attribute for a person's function; OU stays free for the office or unit. :func:`role_of`
reads it back.

Every person's certificate carries KeyUsage digitalSignature + nonRepudiation (critical; pyHanko
wants nonRepudiation by default) and ExtendedKeyUsage emailProtection + documentSigning
(RFC 9336, 1.3.6.1.5.5.7.3.36): Adobe Reader accepts emailProtection for document signatures,
pyHanko accepts any EKU unless told otherwise. No CRL distribution point: the CRL travels with
the sync and is embedded when signing.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from ..i18n import _
from . import storage
from .authority import (BACKDATE, HASH, IssuingCa, as_bytes, check_new_passphrase,
                        load_issuing_ca, new_key)
from .errors import PkiError, WrongPassphrase
from .storage import CertInfo

ROLES = ("inspector", "supervisor")
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336
MAX_DAYS = 3650
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def role_of(cert: x509.Certificate) -> str | None:
    """The Assessor role in ``cert`` (``"inspector"`` or ``"supervisor"``), else ``None``."""
    for attr in cert.subject.get_attributes_for_oid(NameOID.TITLE):
        value = str(attr.value).strip().lower()
        if value in ROLES:
            return value
    return None


def subject_text(name: x509.Name) -> str:
    """RFC 4514 text with ``title`` spelled out, e.g. ``CN=Siti Rahma,title=inspector,O=...``."""
    return name.rfc4514_string({NameOID.TITLE: "title"})


def name_of(cert: x509.Certificate) -> str:
    """The person's name (subject CN), for messages; the full subject if there is no CN."""
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cns[0].value) if cns else cert.subject.rfc4514_string()


def a_role(role: str) -> str:
    """``"an inspector"``, ``"a supervisor"``: for messages (in the current language)."""
    if role == "inspector":
        return _("an inspector")
    if role == "supervisor":
        return _("a supervisor")
    return ("an " if role[:1] in ("a", "e", "i", "o", "u") else "a ") + role


def _check_role(role: str) -> str:
    value = (role or "").strip().lower()
    if value not in ROLES:
        raise PkiError(_("unknown role {role}; use one of: {roles}").format(
            role=repr(role), roles=", ".join(ROLES)))
    return value


def _check_name(name: str) -> str:
    value = " ".join((name or "").split())
    if not value:
        raise PkiError(_("the person's name is empty; give the full name, e.g. --name "
                         "\"Siti Rahma\""))
    if len(value) > 64:
        raise PkiError(_("the name {name}... is longer than 64 characters; shorten it").format(
            name=repr(value[:20])))
    return value


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    value = email.strip()
    if not value.isascii() or not _EMAIL.fullmatch(value):
        raise PkiError(_("{email} is not an e-mail address like name@example.go.id").format(
            email=repr(email)))
    return value


def _check_days(days: int) -> int:
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise PkiError(_("--days must be a whole number from 1 to {max}, not {days}").format(
            max=MAX_DAYS, days=repr(days)))
    return days


def _check_team(team: str | None) -> str | None:
    if team is None:
        return None
    team = str(team).strip()
    if not team:
        return None
    if len(team) > 64 or any(ord(ch) < 32 for ch in team):
        raise PkiError(_("--team must be a team name of at most 64 characters"))
    return team


def _check_public_key(public_key) -> None:
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name in ("secp256r1", "secp384r1", "secp521r1"):
            return
        raise PkiError(_("the CSR's key uses curve {curve}; use P-256").format(
            curve=public_key.curve.name))
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size >= 2048:
            return
        raise PkiError(_("the CSR's RSA key has {bits} bits; use at least 2048").format(
            bits=public_key.key_size))
    raise PkiError(_("the CSR's key type is not supported; use an EC P-256 or RSA key"))


def _person_cert(ca: IssuingCa, public_key, *, name, role, email, days, now,
                 team: str | None = None) -> x509.Certificate:
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    ca_end = ca.cert.not_valid_after_utc
    if ca_end <= now:
        raise PkiError(_("the issuing CA expired on {date}; a new CA is needed").format(
            date=f"{ca_end:%Y-%m-%d}"))
    # A certificate never outlives the CA that vouches for it.
    not_after = min(now + timedelta(days=days), ca_end)
    # Most significant first (C, O), as the CA's own names: prints as CN=...,title=...,O=...,C=...
    attrs = [a for a in ca.cert.subject if a.oid == NameOID.COUNTRY_NAME]
    if ca.org_name:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, ca.org_name))
    if team:  # the supervisor's team: a countersignature is accepted only for that team's work
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, team))
    attrs += [x509.NameAttribute(NameOID.TITLE, role),
              x509.NameAttribute(NameOID.COMMON_NAME, name)]
    ca_ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(ca.cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return builder.sign(ca.key, HASH())


def _record(pki_dir: Path, cert: x509.Certificate, *, name, role, email) -> CertInfo:
    """Add ``cert`` to the ledger and keep a copy under ``issued/`` (before it leaves the CA)."""
    ledger = storage.load_ledger(pki_dir)
    info = CertInfo(
        serial=cert.serial_number, subject=subject_text(cert.subject), name=name, role=role,
        email=email, not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
    )
    storage.write_atomic(
        pki_dir / storage.ISSUED_DIR / f"{info.serial_hex}.pem",
        cert.public_bytes(serialization.Encoding.PEM), exclusive=True,
    )
    ledger["certificates"].append(info.to_json())
    storage.save_ledger(pki_dir, ledger)
    return info


def write_p12(out_p12, private_key, cert, chain, passphrase: bytes, *, name: str = "") -> None:
    """Write key + certificate + chain as a PKCS#12 file (AES-256, PBKDF2) with mode 0600.

    Refuses an existing file. ``chain`` is ``[issuing, root]``.
    """
    check_new_passphrase(passphrase, "PKCS#12")
    data = pkcs12.serialize_key_and_certificates(
        (name or name_of(cert)).encode("utf-8"), private_key, cert, list(chain),
        serialization.BestAvailableEncryption(as_bytes(passphrase)),
    )
    storage.write_atomic(Path(out_p12), data, private=True, exclusive=True)


def issue_person(
    pki_dir: str | os.PathLike,
    ca_passphrase: bytes,
    *,
    name: str,
    role: str,
    email: str | None = None,
    out_p12: str | os.PathLike,
    p12_passphrase: bytes,
    days: int = 730,
    now: datetime | None = None,
    team: str | None = None,
) -> CertInfo:
    """Make a key and certificate for a person and write them, with the chain, to ``out_p12``.

    ``role`` is ``"inspector"`` or ``"supervisor"``; ``team`` (optional) goes in the subject's OU,
    which a countersignature must match when the assessment names its team. ``now`` (tests only) sets the moment of issue;
    the certificate is valid from one hour before it for ``days`` days, never past the issuing CA.
    The ledger records the certificate before the PKCS#12 file is written, so every certificate
    that leaves the CA can be revoked.
    """
    pki_dir, out_p12 = Path(pki_dir), Path(out_p12)
    name, role, email = _check_name(name), _check_role(role), _check_email(email)
    days, team = _check_days(days), _check_team(team)
    check_new_passphrase(p12_passphrase, "PKCS#12")
    if as_bytes(p12_passphrase) == as_bytes(ca_passphrase):
        raise PkiError(_("the PKCS#12 passphrase must differ from the CA passphrase: "
                         "the person who receives the file must not learn the CA's"))
    if out_p12.exists():
        raise storage.already_exists(out_p12)
    ca = load_issuing_ca(pki_dir, ca_passphrase)
    key = new_key()
    cert = _person_cert(ca, key.public_key(), name=name, role=role, email=email, days=days, now=now,
                        team=team)
    info = _record(pki_dir, cert, name=name, role=role, email=email)
    write_p12(out_p12, key, cert, [ca.cert, ca.root], p12_passphrase, name=name)
    return info


def _load_csr(csr_pem: bytes) -> x509.CertificateSigningRequest:
    try:
        if b"-----BEGIN" in csr_pem:
            return x509.load_pem_x509_csr(csr_pem)
        return x509.load_der_x509_csr(csr_pem)
    except ValueError:
        raise PkiError(_("the file is not a certificate signing request (CSR)")) from None


def sign_csr(
    pki_dir: str | os.PathLike,
    ca_passphrase: bytes,
    csr_pem: bytes,
    *,
    role: str,
    days: int = 730,
    now: datetime | None = None,
    team: str | None = None,
) -> bytes:
    """Issue a certificate (PEM) for a key made on the person's own machine.

    Only the CSR's public key, its CN (the name) and an e-mail address (SAN or emailAddress) are
    taken; the CA sets the role, organisation, validity and extensions exactly as
    :func:`issue_person` does. The CSR's own signature must verify.
    """
    pki_dir = Path(pki_dir)
    role, days, team = _check_role(role), _check_days(days), _check_team(team)
    csr = _load_csr(as_bytes(csr_pem))
    if not csr.is_signature_valid:
        raise PkiError(
            _("the CSR's signature does not verify; it was damaged or altered, ask for a new one")
        )
    _check_public_key(csr.public_key())
    cns = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not cns:
        raise PkiError(_("the CSR has no common name (CN); it must carry the person's name"))
    name = _check_name(str(cns[0].value))
    email = None
    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = san.get_values_for_type(x509.RFC822Name)
        email = emails[0] if emails else None
    except x509.ExtensionNotFound:
        pass
    if email is None:
        addrs = csr.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
        email = str(addrs[0].value) if addrs else None
    email = _check_email(email)
    ca = load_issuing_ca(pki_dir, ca_passphrase)
    cert = _person_cert(ca, csr.public_key(), name=name, role=role, email=email, days=days, now=now,
                        team=team)
    _record(pki_dir, cert, name=name, role=role, email=email)
    return cert.public_bytes(serialization.Encoding.PEM)


def make_csr(name: str, *, email: str | None = None) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """On the person's machine: a new P-256 key and a CSR (PEM) to send to the CA administrator."""
    name, email = _check_name(name), _check_email(email)
    key = new_key()
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return key, builder.sign(key, HASH()).public_bytes(serialization.Encoding.PEM)


def _looks_like_pkcs12(data: bytes) -> bool:
    """A DER PFX starts SEQUENCE { INTEGER 3 ...}: tells a wrong passphrase from a wrong file."""
    if len(data) < 8 or data[0] != 0x30:
        return False
    first = data[1]
    if first < 0x80:
        offset = 2
    elif first == 0x80:  # indefinite length (BER)
        offset = 2
    else:
        offset = 2 + (first & 0x7F)
    return data[offset:offset + 3] == b"\x02\x01\x03"


def load_p12(path: str | os.PathLike, passphrase: bytes):
    """``(private_key, cert, chain)`` from a PKCS#12 file; ``chain`` lists the other certificates.

    Raises :class:`WrongPassphrase` for a wrong passphrase and :class:`PkiError` for a file that
    is not PKCS#12 or holds no key or certificate.
    """
    path = Path(path)
    data = storage.read_bytes(path, _("the certificate file"))
    if not _looks_like_pkcs12(data):
        if data.lstrip().startswith(b"-----BEGIN"):
            message = _("{path} is not a PKCS#12 (.p12) certificate file (it is a PEM text file)")
        else:
            message = _("{path} is not a PKCS#12 (.p12) certificate file")
        raise PkiError(message.format(path=path))
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, as_bytes(passphrase))
    except ValueError:
        raise WrongPassphrase(_("wrong passphrase for the certificate file ({path})").format(
            path=path)) from None
    if key is None or cert is None:
        raise PkiError(_("{path} holds no private key and certificate; ask for a new .p12 file")
                       .format(path=path))
    return key, cert, list(chain)
