"""The `assessor pki` command end to end (argparse wiring, passphrase files, errors)."""


from __future__ import annotations

import argparse
import io
import json
import sys
from datetime import timezone
from pathlib import Path

import pytest
from cryptography import x509

from assessor_app.pki import (
    PkiError, WrongPassphrase, load_p12, make_csr,
    role_of,
)
from assessor_app.pki.cli import parse_serial, register

CA_PASS = b"ca passphrase 123"
P12_PASS = b"p12 passphrase 456"
ORG = "Ombudsman RI"
UTC = timezone.utc



# --- the CLI -------------------------------------------------------------------------------------


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="assessor")
    parser.add_argument("--data-dir", type=Path, required=True)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    return args.func(args)


@pytest.fixture()
def no_secrets(monkeypatch):
    monkeypatch.delenv("ASSESSOR_PASSPHRASE", raising=False)
    monkeypatch.delenv("ASSESSOR_P12_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def _cli_folder(tmp_path):
    """A data folder and passphrase files: ``(data, p12 passphrase file, --data-dir args,
    --passphrase-file args)``."""
    data = tmp_path / "data"
    data.mkdir()
    ca_file, p12_file = tmp_path / "ca.txt", tmp_path / "p12.txt"
    ca_file.write_text(CA_PASS.decode() + "\n")
    p12_file.write_text(P12_PASS.decode() + "\n")
    return data, p12_file, ("--data-dir", str(data)), ("--passphrase-file", str(ca_file))


def test_cli_end_to_end(tmp_path, capsys, no_secrets):
    data, p12_file, d, cp = _cli_folder(tmp_path)

    assert _cli(*d, "pki", "init", "--org", ORG, *cp) == 0
    assert "root SHA-256 fingerprint" in capsys.readouterr().out
    assert (data / "pki" / "root.pem").exists()

    out_p12 = tmp_path / "siti.p12"
    assert _cli(*d, "pki", "issue", "--name", "Siti Rahma", "--role", "inspector", "--email",
                "siti@example.go.id", "--out", str(out_p12), "--days", "365", *cp,
                "--p12-passphrase-file", str(p12_file)) == 0
    assert "Issued an inspector certificate to Siti Rahma" in capsys.readouterr().out
    _key, cert, _chain = load_p12(out_p12, P12_PASS)
    assert role_of(cert) == "inspector"

    _k, csr = make_csr("Dewi Lestari")
    (tmp_path / "dewi.csr").write_bytes(csr)
    out_pem = tmp_path / "dewi.pem"
    assert _cli(*d, "pki", "sign-csr", str(tmp_path / "dewi.csr"), "--role", "supervisor",
                "--out", str(out_pem), "--chain", *cp) == 0
    pems = x509.load_pem_x509_certificates(out_pem.read_bytes())
    assert len(pems) == 3 and role_of(pems[0]) == "supervisor"
    capsys.readouterr()

    assert _cli(*d, "pki", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["role"] for e in listed] == ["inspector", "supervisor"]
    assert all(e["status"] == "valid" for e in listed)

    serial = format(cert.serial_number, "X")
    colons = ":".join(serial[i:i + 2] for i in range(0, len(serial), 2))
    assert _cli(*d, "pki", "revoke", colons, "--reason", "key_compromise", *cp) == 0
    assert "Revoked certificate" in capsys.readouterr().out

    assert _cli(*d, "pki", "list") == 0
    table = capsys.readouterr().out
    assert "revoked" in table and "(key_compromise)" in table and "Dewi Lestari" in table

    crl_out = tmp_path / "export.crl"
    assert _cli(*d, "pki", "crl", "--out", str(crl_out)) == 0  # fresh: no passphrase needed
    crl = x509.load_der_x509_crl(crl_out.read_bytes())
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
    assert "1 revoked" in capsys.readouterr().out
    assert _cli(*d, "pki", "crl", "--out", str(crl_out), "--refresh", *cp) == 0
    assert "Re-signed" in capsys.readouterr().out


def test_cli_errors_are_pki_errors(tmp_path, no_secrets):
    data = tmp_path / "data"
    data.mkdir()
    wrong, good = tmp_path / "wrong.txt", tmp_path / "good.txt"
    wrong.write_text("not the passphrase\n")
    good.write_text(CA_PASS.decode() + "\n")
    pki_dir = tmp_path / "elsewhere"
    base = ("--data-dir", str(data))
    assert _cli(*base, "pki", "init", "--org", ORG, "--pki-dir", str(pki_dir),
                "--passphrase-file", str(good)) == 0
    assert not (data / "pki").exists()
    with pytest.raises(PkiError, match="already exists"):
        _cli(*base, "pki", "init", "--org", ORG, "--pki-dir", str(pki_dir),
             "--passphrase-file", str(good))
    with pytest.raises(WrongPassphrase, match="wrong passphrase for the CA key"):
        _cli(*base, "pki", "revoke", "abc", "--pki-dir", str(pki_dir), "--passphrase-file",
             str(wrong))
    with pytest.raises(PkiError, match="ASSESSOR_P12_PASSPHRASE"):
        _cli(*base, "pki", "issue", "--name", "X Y", "--role", "inspector", "--out",
             str(tmp_path / "x.p12"), "--pki-dir", str(pki_dir), "--passphrase-file", str(good))
    with pytest.raises(PkiError, match="not a serial number"):
        _cli(*base, "pki", "revoke", "zz-top", "--pki-dir", str(pki_dir))
    assert parse_serial("0x1A:2b") == 0x1A2B




def test_a_supervisor_certificate_carries_its_team_and_countersigns_only_that_team(
        tmp_path, capsys, no_secrets):
    from assessor_app.reports.people import signer_problem
    data, p12_file, d, cp = _cli_folder(tmp_path)
    assert _cli(*d, "pki", "init", "--org", ORG, *cp) == 0
    out = tmp_path / "budi.p12"
    assert _cli(*d, "pki", "issue", "--name", "Budi Santoso", "--role", "supervisor",
                "--team", "Tim Kaltim", "--out", str(out), *cp,
                "--p12-passphrase-file", str(p12_file)) == 0
    _key, cert, _chain = load_p12(out, P12_PASS)
    units = [a.value for a in cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)]
    assert units == ["Tim Kaltim"]
    doc = {"people": {"inspectors": ["Siti"], "team": "Tim Kaltim"}}
    assert signer_problem(doc, "Supervisor", cert) is None
    other = {"people": {"inspectors": ["Siti"], "team": "Tim Papua"}}
    assert signer_problem(other, "Supervisor", cert) is not None
    with pytest.raises(PkiError):
        _cli(*d, "pki", "issue", "--name", "Ani", "--role", "supervisor", "--team", "x" * 65,
             "--out", str(tmp_path / "ani.p12"), *cp, "--p12-passphrase-file", str(p12_file))
    assert not (tmp_path / "ani.p12").exists()
