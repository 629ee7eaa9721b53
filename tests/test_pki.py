"""The organisation's CA: chain, people's certificates, PKCS#12, revocation, CLI, and pyHanko.

One CA is made per module (EC keys are cheap, but the files are shared by most tests); tests
that must start from nothing (refusals, the CLI) make their own in tmp_path.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from assessor_app.errors import UserError
from assessor_app.pki import (
    CertificateRejected, PkiError, WrongPassphrase, ca_certificates, check_signing_certificate,
    current_crl, init_ca, is_revoked, issue_person, list_certificates, load_p12, make_csr,
    read_passphrase, refresh_crl, revoke, role_of, sign_csr,
)
from assessor_app.pki.people import DOCUMENT_SIGNING
from assessor_app.pki.trust import REVOCATION_POLICY, ca_validation_context, validation_context
from pyhanko_certvalidator import ValidationContext

CA_PASS = b"ca passphrase 123"
P12_PASS = b"p12 passphrase 456"
ORG = "Ombudsman RI"
UTC = timezone.utc


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    pki_dir = tmp_path_factory.mktemp("ca") / "pki"
    info = init_ca(pki_dir, ORG, CA_PASS)
    return pki_dir, info


@pytest.fixture(scope="module")
def inspector(ca, tmp_path_factory):
    pki_dir, _ = ca
    out = tmp_path_factory.mktemp("people") / "siti.p12"
    info = issue_person(pki_dir, CA_PASS, name="Siti Rahma", role="inspector",
                        email="siti@example.go.id", out_p12=out, p12_passphrase=P12_PASS)
    key, cert, chain = load_p12(out, P12_PASS)
    return {"p12": out, "info": info, "key": key, "cert": cert, "chain": chain}


def _issue(ca_dir, tmp_path, name="Budi Santoso", role="inspector", **kw):
    out = tmp_path / f"{name.split()[0].lower()}-{role}.p12"
    info = issue_person(ca_dir, CA_PASS, name=name, role=role, out_p12=out,
                        p12_passphrase=P12_PASS, **kw)
    return info, load_p12(out, P12_PASS)[1]


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


# --- the CA itself ---------------------------------------------------------------------------


def test_init_writes_a_valid_two_level_chain(ca):
    pki_dir, info = ca
    for name in ("root.pem", "root-key.pem", "issuing.pem", "issuing-key.pem", "issuing.crl",
                 "index.json"):
        assert (pki_dir / name).is_file(), name
    root, issuing = ca_certificates(pki_dir)
    root.verify_directly_issued_by(root)
    issuing.verify_directly_issued_by(root)
    assert info.root_sha256.replace(":", "").lower() == root.fingerprint(hashes.SHA256()).hex()

    bc = issuing.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    ku = issuing.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign
    assert not ku.value.digital_signature
    root_ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = issuing.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == root_ski.digest
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert issuing.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORG
    assert issuing.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "ID"
    assert issuing.not_valid_after_utc <= root.not_valid_after_utc
    assert 9 * 365 < (issuing.not_valid_after_utc - datetime.now(UTC)).days < 11 * 365


def test_ca_keys_are_encrypted_and_private(ca):
    pki_dir, _ = ca
    for name in ("root-key.pem", "issuing-key.pem"):
        data = (pki_dir / name).read_bytes()
        assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(data, password=None)
        serialization.load_pem_private_key(data, password=CA_PASS)
        if os.name == "posix":
            assert stat.S_IMODE((pki_dir / name).stat().st_mode) == 0o600
    assert not list(pki_dir.glob(".*.tmp")), "temp files left behind"


def test_initial_crl_is_empty_and_signed_by_the_issuing_ca(ca):
    pki_dir, _ = ca
    _, issuing = ca_certificates(pki_dir)
    crl = x509.load_der_x509_crl((pki_dir / "issuing.crl").read_bytes())
    assert crl.issuer == issuing.subject
    assert crl.is_signature_valid(issuing.public_key())
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number >= 1


def test_init_refuses_an_existing_ca(ca):
    pki_dir, _ = ca
    before = (pki_dir / "root.pem").read_bytes()
    with pytest.raises(PkiError, match="already exists"):
        init_ca(pki_dir, "Another Org", CA_PASS)
    assert (pki_dir / "root.pem").read_bytes() == before


@pytest.mark.parametrize("org, country, passphrase, match", [
    ("", "ID", CA_PASS, "organisation name is empty"),
    (ORG, "Indonesia", CA_PASS, "two-letter"),
    (ORG, "ID", b"short", "too short"),
])
def test_init_refuses_bad_input(tmp_path, org, country, passphrase, match):
    with pytest.raises(PkiError, match=match):
        init_ca(tmp_path / "pki", org, passphrase, country=country)
    assert not (tmp_path / "pki" / "root.pem").exists()


def test_wrong_ca_passphrase_names_the_key_file(ca, tmp_path):
    pki_dir, _ = ca
    entries = len(list_certificates(pki_dir))
    with pytest.raises(WrongPassphrase) as err:
        issue_person(pki_dir, b"not the passphrase", name="Budi", role="inspector",
                     out_p12=tmp_path / "b.p12", p12_passphrase=P12_PASS)
    assert str(err.value) == f"wrong passphrase for the CA key ({pki_dir / 'issuing-key.pem'})"
    assert isinstance(err.value, UserError)
    assert not (tmp_path / "b.p12").exists()
    assert len(list_certificates(pki_dir)) == entries


def test_missing_ca_says_how_to_make_one(tmp_path):
    with pytest.raises(PkiError, match="assessor pki init"):
        list_certificates(tmp_path / "nowhere")


# --- people's certificates -------------------------------------------------------------------


def test_issued_certificate_chains_to_the_root(ca, inspector):
    pki_dir, _ = ca
    root, issuing = ca_certificates(pki_dir)
    cert = inspector["cert"]
    cert.verify_directly_issued_by(issuing)
    assert [c.subject for c in inspector["chain"]] == [issuing.subject, root.subject]


def test_certvalidator_accepts_the_chain_for_non_repudiation(ca, inspector):
    import asyncio

    from pyhanko_certvalidator import CertificateValidator

    root, issuing = ca_certificates(ca[0])
    context = ValidationContext(trust_roots=[_asn1(root)])
    validator = CertificateValidator(_asn1(inspector["cert"]), intermediate_certs=[_asn1(issuing)],
                                     validation_context=context)
    path = asyncio.run(validator.async_validate_usage({"non_repudiation", "digital_signature"}))
    assert len(path) == 3


def test_certificate_has_key_usage_role_and_names(inspector):
    cert, info = inspector["cert"], inspector["info"]
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    assert not ku.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(eku) == {ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING}
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert role_of(cert) == "inspector"
    assert cert.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "inspector"
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Siti Rahma"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORG
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["siti@example.go.id"]
    assert 729 <= (cert.not_valid_after_utc - datetime.now(UTC)).days <= 730
    assert info.serial == cert.serial_number and info.role == "inspector"
    assert info.subject == "CN=Siti Rahma,title=inspector,O=Ombudsman RI,C=ID"


def test_role_of_is_none_without_a_role(ca):
    root, issuing = ca_certificates(ca[0])
    assert role_of(root) is None and role_of(issuing) is None


def test_p12_file_is_private_and_in_the_ledger(ca, inspector):
    if os.name == "posix":
        assert stat.S_IMODE(inspector["p12"].stat().st_mode) == 0o600
    infos = {i.serial: i for i in list_certificates(ca[0])}
    assert infos[inspector["info"].serial].name == "Siti Rahma"
    copy = ca[0] / "issued" / f"{inspector['info'].serial_hex}.pem"
    assert x509.load_pem_x509_certificate(copy.read_bytes()) == inspector["cert"]
    ledger = json.loads((ca[0] / "index.json").read_text())
    entry = next(e for e in ledger["certificates"] if e["serial"] == inspector["info"].serial_hex)
    assert set(entry) >= {"serial", "subject", "role", "not_after", "revoked_at", "reason"}


def test_p12_wrong_passphrase_and_wrong_file(inspector, tmp_path):
    with pytest.raises(WrongPassphrase,
                       match=r"wrong passphrase for the certificate file \(.*siti.p12\)"):
        load_p12(inspector["p12"], b"wrong passphrase")
    pem = tmp_path / "cert.pem"
    pem.write_bytes(inspector["cert"].public_bytes(serialization.Encoding.PEM))
    with pytest.raises(PkiError, match="not a PKCS#12.*PEM text file"):
        load_p12(pem, P12_PASS)
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"\x30\x03\x02\x01\x05 not really")
    with pytest.raises(PkiError, match="not a PKCS#12"):
        load_p12(junk, P12_PASS)
    with pytest.raises(PkiError, match="not found"):
        load_p12(tmp_path / "missing.p12", P12_PASS)


@pytest.mark.parametrize("kw, match", [
    ({"role": "auditor"}, "unknown role 'auditor'"),
    ({"name": "   "}, "name is empty"),
    ({"email": "not-an-address"}, "not an e-mail address"),
    ({"days": 0}, "--days"),
    ({"p12_passphrase": b"short"}, "too short"),
    ({"p12_passphrase": CA_PASS}, "must differ from the CA passphrase"),
])
def test_issue_refuses_bad_input(ca, tmp_path, kw, match):
    args = dict(name="Budi", role="inspector", out_p12=tmp_path / "b.p12", p12_passphrase=P12_PASS)
    args.update(kw)
    with pytest.raises(PkiError, match=match):
        issue_person(ca[0], CA_PASS, **args)
    assert not (tmp_path / "b.p12").exists()


def test_issue_refuses_an_existing_out_file(ca, tmp_path):
    out = tmp_path / "exists.p12"
    out.write_bytes(b"keep me")
    entries = len(list_certificates(ca[0]))
    with pytest.raises(PkiError, match="already exists"):
        issue_person(ca[0], CA_PASS, name="Budi", role="supervisor", out_p12=out,
                     p12_passphrase=P12_PASS)
    assert out.read_bytes() == b"keep me"
    assert len(list_certificates(ca[0])) == entries


def test_validity_never_outlives_the_issuing_ca(tmp_path):
    short = tmp_path / "short"
    init_ca(short, ORG, CA_PASS, years_root=2, years_issuing=1)
    _, issuing = ca_certificates(short)
    info, cert = _issue(short, tmp_path, days=730)
    assert cert.not_valid_after_utc == issuing.not_valid_after_utc == info.not_after


# --- CSRs --------------------------------------------------------------------------------------


def test_sign_csr_keeps_the_persons_key_and_sets_the_role(ca):
    pki_dir, _ = ca
    key, csr_pem = make_csr("Dewi Lestari", email="dewi@example.go.id")
    cert = x509.load_pem_x509_certificate(sign_csr(pki_dir, CA_PASS, csr_pem, role="supervisor"))
    _, issuing = ca_certificates(pki_dir)
    cert.verify_directly_issued_by(issuing)
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert cert.public_key().public_bytes(*spki) == key.public_key().public_bytes(*spki)
    assert role_of(cert) == "supervisor"
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["dewi@example.go.id"]
    assert cert.serial_number in {i.serial for i in list_certificates(pki_dir)}


def test_sign_csr_refuses_a_tampered_or_foreign_request(ca):
    pki_dir, _ = ca
    _, csr_pem = make_csr("Dewi Lestari")
    der = bytearray(x509.load_pem_x509_csr(csr_pem).public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0x01  # flip a bit of the signature
    with pytest.raises(PkiError, match="signature does not verify"):
        sign_csr(pki_dir, CA_PASS, bytes(der), role="inspector")
    with pytest.raises(PkiError, match="not a certificate signing request"):
        sign_csr(pki_dir, CA_PASS, b"hello", role="inspector")
    with pytest.raises(PkiError, match="unknown role"):
        sign_csr(pki_dir, CA_PASS, csr_pem, role="boss")


# --- revocation ----------------------------------------------------------------------------------


def test_revoke_lists_the_serial_in_a_freshly_signed_crl(ca, tmp_path):
    pki_dir, _ = ca
    info, _cert = _issue(pki_dir, tmp_path, name="Agus Salim")
    _, issuing = ca_certificates(pki_dir)
    number_before = x509.load_der_x509_crl(current_crl(pki_dir)).extensions.get_extension_for_class(
        x509.CRLNumber).value.crl_number
    assert not is_revoked(pki_dir, info.serial)

    revoke(pki_dir, CA_PASS, info.serial, reason="key-compromise")

    crl = x509.load_der_x509_crl(current_crl(pki_dir))
    assert crl.is_signature_valid(issuing.public_key())
    entry = crl.get_revoked_certificate_by_serial_number(info.serial)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == \
        x509.ReasonFlags.key_compromise
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > number_before
    assert timedelta(days=29) < crl.next_update_utc - datetime.now(UTC) <= timedelta(days=30)
    assert is_revoked(pki_dir, info.serial)
    listed = {i.serial: i for i in list_certificates(pki_dir)}[info.serial]
    assert listed.revoked and listed.reason == "key_compromise"


def test_revoke_refuses_unknown_repeated_and_bad_reason(ca, tmp_path):
    pki_dir, _ = ca
    info, _cert = _issue(pki_dir, tmp_path, name="Rina Wati")
    with pytest.raises(PkiError, match="unknown revocation reason"):
        revoke(pki_dir, CA_PASS, info.serial, reason="bored")
    with pytest.raises(WrongPassphrase):
        revoke(pki_dir, b"wrong passphrase", info.serial)
    assert not is_revoked(pki_dir, info.serial)
    revoke(pki_dir, CA_PASS, info.serial)
    with pytest.raises(PkiError, match="already revoked"):
        revoke(pki_dir, CA_PASS, info.serial)
    with pytest.raises(PkiError, match="no certificate with serial 1234"):
        revoke(pki_dir, CA_PASS, 0x1234)
    entry = x509.load_der_x509_crl(current_crl(pki_dir)).get_revoked_certificate_by_serial_number(
        info.serial)
    # "unspecified" is written as no reason code at all (RFC 5280 5.3.1)
    assert len(entry.extensions) == 0


def test_refresh_crl_keeps_entries_and_bumps_the_number(ca, tmp_path):
    pki_dir, _ = ca
    info, _cert = _issue(pki_dir, tmp_path, name="Joko Widodo")
    revoke(pki_dir, CA_PASS, info.serial, reason="superseded")
    old = x509.load_der_x509_crl(current_crl(pki_dir))
    new = x509.load_der_x509_crl(refresh_crl(pki_dir, CA_PASS))
    assert new.public_bytes(serialization.Encoding.DER) == current_crl(pki_dir)
    def number(crl):
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number

    assert number(new) == number(old) + 1
    assert {r.serial_number for r in new} == {r.serial_number for r in old}


# --- may this certificate sign? -----------------------------------------------------------------


def test_check_signing_certificate_accepts_a_good_one(ca, inspector):
    _, issuing = ca_certificates(ca[0])
    check_signing_certificate(inspector["cert"], role="inspector", crl_der=current_crl(ca[0]),
                              issuer=issuing)
    check_signing_certificate(inspector["cert"], role=None)


def test_check_signing_certificate_refuses_expired_and_not_yet_valid(ca, tmp_path):
    long_ago = datetime.now(UTC) - timedelta(days=400)
    _info, cert = _issue(ca[0], tmp_path, name="Lama Sekali", days=30, now=long_ago)
    with pytest.raises(CertificateRejected, match="Lama Sekali expired on"):
        check_signing_certificate(cert, role="inspector")
    check_signing_certificate(cert, role="inspector", at=long_ago + timedelta(days=1))
    with pytest.raises(CertificateRejected, match="valid only from.*check this computer's date"):
        check_signing_certificate(cert, role="inspector", at=long_ago - timedelta(days=1))


def test_check_signing_certificate_refuses_the_wrong_role(inspector):
    with pytest.raises(CertificateRejected,
                       match="certificate of Siti Rahma is for an inspector, not a supervisor"):
        check_signing_certificate(inspector["cert"], role="supervisor")
    with pytest.raises(PkiError, match="unknown role"):
        check_signing_certificate(inspector["cert"], role="admin")


def test_check_signing_certificate_refuses_a_revoked_one(ca, tmp_path):
    pki_dir, _ = ca
    _, issuing = ca_certificates(pki_dir)
    info, cert = _issue(pki_dir, tmp_path, name="Hadi Pranoto", role="supervisor")
    revoke(pki_dir, CA_PASS, info.serial, reason="privilege_withdrawn")
    crl = current_crl(pki_dir)
    with pytest.raises(CertificateRejected, match="was revoked on .*privilege withdrawn"):
        check_signing_certificate(cert, role="supervisor", crl_der=crl, issuer=issuing)
    # A signature made before the revocation was fine then (not a key compromise).
    check_signing_certificate(cert, role="supervisor", crl_der=crl,
                              at=datetime.now(UTC) - timedelta(minutes=30))


def test_check_signing_certificate_refuses_a_crl_from_another_ca(inspector, tmp_path):
    other = tmp_path / "other"
    init_ca(other, "Other Org", CA_PASS)
    with pytest.raises(PkiError, match="revocation list comes from .*Other Org"):
        check_signing_certificate(inspector["cert"], role="inspector", crl_der=current_crl(other))
    with pytest.raises(CertificateRejected, match="was not issued by"):
        check_signing_certificate(inspector["cert"], role="inspector",
                                  issuer=ca_certificates(other)[1])


# --- passphrases ---------------------------------------------------------------------------------


def test_read_passphrase_from_file_then_env_then_explains(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    monkeypatch.delenv("ASSESSOR_PASSPHRASE", raising=False)
    secret = tmp_path / "pass.txt"
    secret.write_text("kata sandi rahasia\r\nsecond line\n", encoding="utf-8")
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", "from env")
    assert read_passphrase(str(secret)) == b"kata sandi rahasia"
    assert read_passphrase(None) == b"from env"
    monkeypatch.delenv("ASSESSOR_PASSPHRASE")
    with pytest.raises(PkiError) as err:
        read_passphrase(None)
    for way in ("--passphrase-file", "ASSESSOR_PASSPHRASE", "terminal"):
        assert way in str(err.value)
    with pytest.raises(PkiError, match="not found"):
        read_passphrase(str(tmp_path / "missing.txt"))
    (tmp_path / "empty.txt").write_text("\n")
    with pytest.raises(PkiError, match="is empty"):
        read_passphrase(str(tmp_path / "empty.txt"))


# --- pyHanko signs and validates with an issued certificate ------------------------------------


def _tiny_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf, invariant=1)
    page.drawString(72, 720, "Laporan penilaian / assessment report")
    page.showPage()
    page.save()
    return buf.getvalue()


def _sign(p12: Path, pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=P12_PASS)
    assert signer is not None
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                           signers.PdfSignatureMetadata(field_name="Inspector"), signer=signer)
    return out.getvalue()


def _validate(pdf: bytes, context):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return validate_pdf_signature(sig, context)


def test_pyhanko_signs_and_trusts_with_the_issued_p12(ca, inspector):
    root, _ = ca_certificates(ca[0])
    signed = _sign(inspector["p12"], _tiny_pdf())
    status = _validate(signed, ValidationContext(trust_roots=[_asn1(root)]))
    assert status.intact and status.trusted
    assert status.signing_cert.serial_number == inspector["cert"].serial_number
    status = _validate(signed, ca_validation_context(ca[0]))  # with the CRL, required
    assert status.intact and status.trusted

    other = init_ca(ca[0].parent / "stranger", "Stranger Org", CA_PASS)
    stranger_root, _ = ca_certificates(other.pki_dir)
    assert not _validate(signed, ValidationContext(trust_roots=[_asn1(stranger_root)])).trusted

    tampered = signed.replace(b"ReportLab Generated", b"ReportLab generated")
    assert tampered != signed
    assert not _validate(tampered, ValidationContext(trust_roots=[_asn1(root)])).intact


def test_pyhanko_distrusts_a_revoked_certificate_given_the_crl(ca, tmp_path):
    pki_dir, _ = ca
    root, issuing = ca_certificates(pki_dir)
    info, _cert = _issue(pki_dir, tmp_path, name="Yusuf Hamid")
    signed = _sign(tmp_path / "yusuf-inspector.p12", _tiny_pdf())
    revoke(pki_dir, CA_PASS, info.serial, reason="key_compromise")
    crl = current_crl(pki_dir)
    # The pitfall trust.py exists for: the legacy mode ignores a CRL the certificate does not
    # declare, so a revoked certificate still looks trusted.
    legacy = ValidationContext(trust_roots=[_asn1(root)], crls=[crl], revocation_mode="hard-fail")
    assert _validate(signed, legacy).trusted
    status = _validate(signed, validation_context(root, crls=[crl], other_certs=[issuing]))
    assert status.intact and not status.trusted
    # No CRL at all, when one is required, is not trusted either.
    assert not _validate(signed, validation_context(root, crls=[])).trusted


def test_pyhanko_embeds_the_crl_when_signing(ca, inspector):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    signer = signers.SimpleSigner.load_pkcs12(str(inspector["p12"]), passphrase=P12_PASS)
    meta = signers.PdfSignatureMetadata(
        field_name="Inspector", subfilter=fields.SigSeedSubFilter.PADES,
        validation_context=ca_validation_context(ca[0]), embed_validation_info=True)
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(_tiny_pdf())), meta, signer=signer)
    reader = PdfFileReader(io.BytesIO(out.getvalue()))
    assert len(reader.root["/DSS"]["/CRLs"]) == 1
    # A verifier with nothing but the root and the PDF: the CRL comes from the file.
    root, _ = ca_certificates(ca[0])
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": [_asn1(root)], "revinfo_policy": REVOCATION_POLICY,
         "allow_fetching": False})
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.intact and status.trusted
