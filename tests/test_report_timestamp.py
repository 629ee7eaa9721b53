"""The supervisor's countersignature with a timestamp (PAdES B-T), against a real RFC 3161 TSA
served over HTTP on 127.0.0.1 (tests/tsa_server.py): the product's own HTTP client is used."""

from __future__ import annotations

import io
import json

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from assessor_app.cli import main
from assessor_app.pki import ca_certificates, current_crl
from assessor_app.reports import LocalP12Signer, SigningRefused, sign_report, verify_report
from assessor_app.store import AssessmentStore
from report_helpers import completed_office, P12_PASS
from tsa_server import TestTsa, closed_port_url


@pytest.fixture(scope="module")
def tsa():
    with TestTsa() as server:
        yield server


@pytest.fixture()
def office(tmp_path, monkeypatch, tsa, capsys):
    """DATA/pki with the CA, two people, and a report already signed by the inspector."""
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", P12_PASS.decode())
    data, uid, pki = completed_office(tmp_path)
    (tmp_path / "tsa-root.pem").write_bytes(tsa.root_pem)
    tsa.mode = "ok"
    d = ["--data-dir", str(data)]
    assert main(["report", uid[:8], "--out", str(tmp_path / "r.pdf"), "--lang", "en", *d]) == 0
    assert main(["sign", str(tmp_path / "r.pdf"), "--p12", str(tmp_path / "rina.p12"),
                 "--as", "inspector", *d]) == 0
    capsys.readouterr()
    return tmp_path, data, d


def _countersign(tmp, d, *extra) -> int:
    return main(["sign", str(tmp / "r-signed.pdf"), "--p12", str(tmp / "budi.p12"),
                 "--as", "supervisor", *d, *extra])


def _timestamp_tokens(pdf: bytes) -> dict[str, int]:
    """Field name -> number of signature timestamp tokens in its CMS unsigned attributes."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    out = {}
    for sig in reader.embedded_signatures:
        attrs = sig.signer_info["unsigned_attrs"]
        out[sig.field_name] = sum(len(a["values"]) for a in (attrs or [])
                                  if a["type"].native == "signature_time_stamp_token")
    return out


def test_countersignature_with_tsa_carries_a_trusted_timestamp(office, tsa, capsys):
    tmp, data, d = office
    before = len(tsa.requests)
    assert _countersign(tmp, d, "--tsa", tsa.url) == 0
    assert "with a timestamp from http://127.0.0.1:" in capsys.readouterr().out
    # the product's HTTP client really asked the server, with RFC 3161 queries
    asked = tsa.requests[before:]
    assert asked and all(ctype == "application/timestamp-query" for ctype, _ in asked)
    signed = (tmp / "r-countersigned.pdf").read_bytes()
    assert _timestamp_tokens(signed) == {"Inspector": 0, "Supervisor": 1}
    assert signed.startswith((tmp / "r-signed.pdf").read_bytes())   # incremental: inspector's intact

    assert main(["verify", str(tmp / "r-countersigned.pdf"), "--tsa-trust",
                 str(tmp / "tsa-root.pem"), "--json", *d]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"]
    inspector, supervisor = out["signatures"]
    for s in (inspector, supervisor):
        assert s["intact"] and s["trusted"] and not s["revoked"] and s["ok"], s
    assert supervisor["time_source"] == "timestamp" and supervisor["timestamp_trusted"] is True
    assert supervisor["timestamp_tsa"] == "Test TSA 1"
    assert supervisor["signed_at"] == supervisor["timestamp"] and supervisor["claimed_at"]
    assert inspector["time_source"] == "claimed" and inspector["timestamp"] is None
    assert inspector["timestamp_trusted"] is None and inspector["signed_at"] == inspector["claimed_at"]
    assert "as allowed" in inspector["changes_after"]

    assert main(["verify", str(tmp / "r-countersigned.pdf"), "--tsa-trust",
                 str(tmp / "tsa-root.pem"), *d]) == 0
    text = capsys.readouterr().out
    assert "trusted timestamp by Test TSA 1" in text
    assert "claimed by the signer's computer, no timestamp" in text
    assert "all checks passed" in text


def test_timestamp_of_an_unknown_tsa_is_a_note_not_a_pass_for_the_time(office, tsa, capsys):
    tmp, data, d = office
    assert _countersign(tmp, d, "--tsa", tsa.url) == 0
    capsys.readouterr()
    # the auditor has only the organisation's root: the signatures still hold, the time is
    # the claimed one, and the output says why
    assert main(["verify", str(tmp / "r-countersigned.pdf"), "--json", *d]) == 0
    supervisor = json.loads(capsys.readouterr().out)["signatures"][1]
    assert supervisor["ok"] and supervisor["intact"] and supervisor["trusted"]
    assert supervisor["time_source"] == "claimed" and supervisor["timestamp_trusted"] is False
    assert supervisor["signed_at"] == supervisor["claimed_at"] and supervisor["timestamp"]
    assert "--tsa-trust" in supervisor["notes"][0]
    assert main(["verify", str(tmp / "r-countersigned.pdf"), *d]) == 0
    text = capsys.readouterr().out
    assert "by Test TSA 1 NOT trusted" in text and "note:" in text
    # a TSA root is trusted for timestamps, never for people's signatures
    assert main(["verify", str(tmp / "r-countersigned.pdf"), "--trust",
                 str(tmp / "tsa-root.pem"), "--json", *d]) == 1
    out = json.loads(capsys.readouterr().out)
    assert not any(s["trusted"] for s in out["signatures"])


def test_tsa_from_the_setting_and_the_tsa_command(office, tsa, capsys):
    tmp, data, d = office
    assert main(["tsa", *d]) == 0
    assert "No timestamp server" in capsys.readouterr().out
    assert main(["tsa", tsa.url, *d]) == 0
    out = capsys.readouterr().out
    assert "answered" in out and "Test TSA 1" in out
    with AssessmentStore(data, actor="t") as store:
        assert store.get_setting("tsa_url") == tsa.url
    # a server that is down is not saved
    assert main(["tsa", closed_port_url(), *d]) == 2
    err = capsys.readouterr().err
    assert "gave no valid timestamp" in err and "setting was not changed" in err
    assert main(["tsa", *d]) == 0
    assert tsa.url in capsys.readouterr().out
    # sign without --tsa: the setting is used
    assert _countersign(tmp, d) == 0
    signed = (tmp / "r-countersigned.pdf").read_bytes()
    assert _timestamp_tokens(signed)["Supervisor"] == 1
    assert main(["tsa", "--clear", *d]) == 0
    with AssessmentStore(data, actor="t") as store:
        assert not store.get_setting("tsa_url")


@pytest.mark.parametrize("mode", ["down", "garbage", "html", "http500", "rejection"])
def test_a_tsa_that_fails_gives_a_clear_refusal_and_writes_nothing(office, tsa, capsys, mode):
    tmp, data, d = office
    url = closed_port_url() if mode == "down" else tsa.url
    tsa.mode = "ok" if mode == "down" else mode
    src = tmp / "r-signed.pdf"
    before = src.read_bytes()
    assert _countersign(tmp, d, "--tsa", url) == 2
    err = capsys.readouterr().err
    assert f"the timestamp server {url} gave no valid timestamp" in err, err
    assert "Nothing was written" in err and "Traceback" not in err
    assert not (tmp / "r-countersigned.pdf").exists()
    assert not [p for p in tmp.iterdir() if p.name.startswith("r-countersigned")]  # no temp file
    assert src.read_bytes() == before
    # the inspector's signature is as good as before
    assert main(["verify", str(src), "--json", *d]) == 0
    (inspector,) = json.loads(capsys.readouterr().out)["signatures"]
    assert inspector["ok"] and inspector["intact"] and inspector["trusted"]
    tsa.mode = "ok"


def test_tsa_is_the_supervisors_and_must_be_an_http_url(office, tsa, capsys):
    tmp, data, d = office
    assert main(["sign", str(tmp / "r.pdf"), "--p12", str(tmp / "rina.p12"), "--as", "inspector",
                 "--out", str(tmp / "x.pdf"), "--tsa", tsa.url, *d]) == 2
    assert "inspector signs offline" in capsys.readouterr().err
    assert _countersign(tmp, d, "--tsa", "tsa.example.org") == 2
    assert "not an http:// or https:// URL" in capsys.readouterr().err
    assert not (tmp / "x.pdf").exists() and not (tmp / "r-countersigned.pdf").exists()


def test_signing_api_with_tsa(office, tsa):
    """The API the CLI and the desktop app use: sign_report(tsa_url=), verify_report(tsa_roots=)."""
    tmp, data, d = office
    pki = data / "pki"
    crl = current_crl(pki)
    root, _ = ca_certificates(pki)
    budi = LocalP12Signer.open(tmp / "budi.p12", P12_PASS)
    first = (tmp / "r-signed.pdf").read_bytes()
    both = sign_report(first, budi, "supervisor", crl_der=crl, tsa_url=tsa.url)
    result = verify_report(both, root, crls=[crl], tsa_roots=[tsa.root])
    assert result.ok, json.dumps(result.to_json())
    assert [s.time_source for s in result.signatures] == ["claimed", "timestamp"]
    # the inspector is never timestamped, even when a URL is passed for them
    rina = LocalP12Signer.open(tmp / "rina.p12", P12_PASS)
    with pytest.raises(SigningRefused, match="already"):
        sign_report(first, rina, "inspector", crl_der=crl, tsa_url=tsa.url)
