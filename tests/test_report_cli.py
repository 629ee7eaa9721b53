"""``assessor report|sign|verify`` end to end, passphrases from a file and from the environment."""

from __future__ import annotations

import json

import pytest

from assessor_app.cli import main
from assessor_app.reports.cli import default_output
from helpers import filled_mini, mini_store
from report_helpers import P12_PASS, issue, make_ca


@pytest.fixture()
def setup(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESSOR_PASSPHRASE", raising=False)
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.complete(uid)
    store.set_setting("organisation", "Ombudsman RI")
    store.close()
    data = tmp_path / "data"
    pki = make_ca(data)          # DATA/pki: the CLI finds root.pem and issuing.crl there
    issue(pki, tmp_path / "rina.p12", "Rina Kartika", "inspector")
    issue(pki, tmp_path / "budi.p12", "Budi Santoso", "supervisor")
    (tmp_path / "pass.txt").write_text(P12_PASS.decode() + "\n")
    return tmp_path, data, uid


def test_report_sign_sign_verify(setup, capsys, monkeypatch):
    tmp, data, uid = setup
    d = ["--data-dir", str(data)]
    assert main(["report", uid[:8], "--out", str(tmp / "r.pdf"), "--lang", "en", *d]) == 0
    assert "Wrote report" in capsys.readouterr().out
    assert main(["sign", str(tmp / "r.pdf"), "--p12", str(tmp / "rina.p12"), "--as", "inspector",
                 "--passphrase-file", str(tmp / "pass.txt"), *d]) == 0
    assert (tmp / "r-signed.pdf").is_file()
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", P12_PASS.decode())
    assert main(["sign", str(tmp / "r-signed.pdf"), "--p12", str(tmp / "budi.p12"),
                 "--as", "supervisor", *d]) == 0
    signed = tmp / "r-countersigned.pdf"
    capsys.readouterr()
    assert main(["verify", str(signed), "--trust", str(data / "pki" / "root.pem"), "--json", *d]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and [s["role"] for s in out["signatures"]] == ["inspector", "supervisor"]

    bad = bytearray(signed.read_bytes())
    i = bad.index(b"stream", len(bad) // 3) + 100
    bad[i] ^= 1
    (tmp / "bad.pdf").write_bytes(bytes(bad))
    assert main(["verify", str(tmp / "bad.pdf"), *d]) == 1
    text = capsys.readouterr()
    assert "VERIFICATION FAILED" in text.out and "Traceback" not in text.err

    # a signed report is never overwritten, and refusals exit 2 with one line
    assert main(["sign", str(tmp / "r.pdf"), "--p12", str(tmp / "budi.p12"), "--as", "inspector", *d]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["sign", str(tmp / "r.pdf"), "--p12", str(tmp / "budi.p12"), "--as", "inspector",
                 "--out", str(tmp / "x.pdf"), *d]) == 2
    assert "is for a supervisor, not an inspector" in capsys.readouterr().err
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", "wrong passphrase")
    assert main(["sign", str(tmp / "r.pdf"), "--p12", str(tmp / "rina.p12"), "--as", "inspector",
                 "--out", str(tmp / "x.pdf"), *d]) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    assert not (tmp / "x.pdf").exists()


def test_passphrase_is_never_only_a_prompt(setup, capsys, monkeypatch):
    tmp, data, uid = setup
    d = ["--data-dir", str(data)]
    main(["report", uid[:8], "--out", str(tmp / "r.pdf"), *d])
    monkeypatch.setattr("sys.stdin", None)
    assert main(["sign", str(tmp / "r.pdf"), "--p12", str(tmp / "rina.p12"), "--as", "inspector", *d]) == 2
    err = capsys.readouterr().err
    assert "--passphrase-file" in err and "ASSESSOR_PASSPHRASE" in err


def test_default_output_names(tmp_path):
    assert default_output(tmp_path / "a.pdf").name == "a-signed.pdf"
    assert default_output(tmp_path / "a-signed.pdf").name == "a-countersigned.pdf"
