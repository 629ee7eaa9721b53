"""Reports, signing, verification and sync speak the language current when they speak.

Indonesian with ``set_language("id")``, English with ``"en"``; ``assessor verify --json`` stays
English in both (machine-readable), while the lines it prints for a person are translated.
"""

from __future__ import annotations

import json

import httpx
import pytest
from report_helpers import issue, make_ca

from assessor_app import i18n
from assessor_app.i18n import Text, set_language
from assessor_app.pki import WrongPassphrase
from assessor_app.reports.signing import LocalP12Signer
from assessor_app.sync.errors import SyncRejected, SyncUnavailable, server_message
from assessor_app.sync.transport import Transport


@pytest.fixture
def lang():
    before = i18n._current["lang"]
    yield set_language
    i18n._current["lang"] = before


@pytest.fixture(scope="module")
def person(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pki")
    pki = make_ca(tmp)
    issue(pki, tmp / "rina.p12", "Rina", "inspector")
    return tmp / "rina.p12"


@pytest.mark.parametrize("code, expected", [
    ("id", "frasa sandi"), ("en", "wrong passphrase")])
def test_wrong_passphrase_speaks_the_current_language(person, lang, code, expected):
    lang(code)
    with pytest.raises(WrongPassphrase) as info:
        LocalP12Signer.open(person, b"not the passphrase")
    assert expected in str(info.value)


def _unsigned_pdf():
    """A PDF with no signature and no embedded data: verify finds problems, no exception."""
    import io

    import pikepdf
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("code, expected, absent", [
    ("id", ["Hasil: VERIFIKASI GAGAL", "masalah: laporan tidak memuat tanda tangan elektronik",
            "data penilaian terlampir (assessment.json) tidak ada"], "VERIFICATION FAILED"),
    ("en", ["Result: VERIFICATION FAILED", "problem: the report carries no electronic signature",
            "embedded assessment data"], "VERIFIKASI"),
])
def test_verify_output_speaks_the_current_language_and_json_stays_english(
        tmp_path, lang, capsys, code, expected, absent, person):
    from assessor_app.cli import main
    report = tmp_path / "r.pdf"
    report.write_bytes(_unsigned_pdf())
    root = person.parent / "pki" / "root.pem"
    args = ["verify", str(report), "--trust", str(root), "--data-dir", str(tmp_path / "d")]
    assert main(["--lang", code, *args]) == 1
    text = capsys.readouterr().out
    for line in expected:
        assert line.replace("assessment.json", _data_name()) in text, text
    assert absent not in text
    assert main(["--lang", code, *args, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["problems"] == ["the report carries no electronic signature"]


def _data_name():
    from assessor_app.reports.package import DATA_NAME
    return DATA_NAME


def test_a_verification_finding_is_english_data_shown_in_any_language():
    note = Text(i18n.N_("the signer's certificate is revoked (since {date})"), date="2026-01-02")
    assert note == "the signer's certificate is revoked (since 2026-01-02)"
    assert json.dumps(note) == '"the signer\'s certificate is revoked (since 2026-01-02)"'
    assert note.translated("id") == "sertifikat penanda tangan telah dicabut (sejak 2026-01-02)"
    assert note.translated("en") == str(note)


@pytest.mark.parametrize("code, expected", [
    ("id", "tidak dapat terhubung ke http://127.0.0.1:9 (tidak ada jaringan"),
    ("en", "cannot connect to http://127.0.0.1:9 (no network"),
])
def test_unreachable_sync_server_speaks_the_current_language(lang, code, expected):
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)
    lang(code)
    t = Transport("http://127.0.0.1:9", max_time=0.0, transport=httpx.MockTransport(refuse))
    with pytest.raises(SyncUnavailable) as info:
        t.call("GET", "/v1/meta")
    t.close()
    assert expected in str(info.value)
    assert ("Tidak ada yang hilang" in str(info.value)) == (code == "id")


@pytest.mark.parametrize("code, expected", [
    ("id", "akses laptop ini telah dicabut oleh administrator"),
    ("en", "this device's access was revoked by the administrator"),
])
def test_server_refusal_is_shown_by_its_code_in_the_current_language(lang, code, expected):
    english = "this device's access was revoked by the administrator; ask for a new enrolment code"

    def revoked(request):
        return httpx.Response(401, json={"error": "revoked", "message": english})
    lang(code)
    t = Transport("http://sync.test", "tok", max_time=0.0, transport=httpx.MockTransport(revoked))
    with pytest.raises(SyncRejected) as info:
        t.call("GET", "/v1/meta")
    t.close()
    assert info.value.code == "revoked" and expected in str(info.value)
    assert info.value.data["message"] == english       # the wire answer itself is unchanged
    assert server_message("some_new_code", "as the server says") == "as the server says"
