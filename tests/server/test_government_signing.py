"""The government results report signed like assessment reports (SQLite, and PostgreSQL when
set): `assessor-server report-government --p12` certifies it (PAdES, a signature box), `assessor
verify` finds it intact and trusted and its printed score and rank equal to the attached data; a
flipped byte fails; an unsigned report, a forged score and an assessment-less PDF are reported,
not crashed on; the office page's download is signed when the office has a certificate, else
unsigned and the page says so."""

import json

import httpx
import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from assessor_app.cli import main
from assessor_app.server.results import round_results
from assessor_app.server.web import session

from .serverproc import run_cli

ROUND = "Sign-Round"


@pytest.fixture(scope="module")
def signed(server, tmp_path_factory):
    from report_helpers import P12_PASS, issue, make_ca
    from assessor_app.pki import current_crl
    tmp = tmp_path_factory.mktemp("govsign")
    if ROUND not in {r["id"] for r in __import__("assessor_app.server.register", fromlist=["x"])
                     .list_rounds(server.database)}:
        run_cli("demo-round", "Sign Round", "--governments", "10", "--units-per-government", "2",
                "--seed", "3", data=server.data)
    pki = make_ca(tmp)
    issue(pki, tmp / "office.p12", "Kantor Perwakilan Bali", "supervisor")
    (tmp / "pass.txt").write_text(P12_PASS.decode() + "\n")
    (tmp / "issuing.crl").write_bytes(current_crl(pki))
    run_cli("crl", str(tmp / "issuing.crl"), data=server.data)          # published to the server
    g = next(x for x in round_results(server.database, ROUND).results.governments if x.rank)
    out = tmp / "gov.pdf"
    run = run_cli("report-government", ROUND, g.government.id, "--out", str(out), "--lang", "en",
                  "--p12", str(tmp / "office.p12"), "--passphrase-file", str(tmp / "pass.txt"),
                  data=server.data)
    assert "signed" in run.stdout
    return {"tmp": tmp, "pki": pki, "pdf": out, "g": g, "root": pki / "root.pem"}


def _verify(path, root, capsys):
    capsys.readouterr()
    code = main(["verify", str(path), "--trust", str(root), "--json",
                 "--data-dir", str(path.parent / "nodata")])
    return code, json.loads(capsys.readouterr().out)


def test_signed_government_report_verifies(signed, capsys):
    code, out = _verify(signed["pdf"], signed["root"], capsys)
    assert code == 0 and out["ok"], out
    sig, = out["signatures"]
    assert sig["field"] == "Office" and sig["intact"] and sig["trusted"] and not sig["problems"]
    assert out["data"]["kind"] == "government"
    g = signed["g"]
    assert out["data"]["stored_total"] == float(g.score)
    assert out["data"]["printed_rank"] == f"rank {g.rank} of {g.of} ({g.government.category})"
    reader = PdfFileReader(open(signed["pdf"], "rb"))
    emb, = reader.embedded_signatures
    assert emb.sig_object["/Reference"][0]["/TransformMethod"] == "/DocMDP"   # certification
    x1, y1, x2, y2 = (float(v) for v in emb.sig_field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 40                                   # a visible box
    # the human-readable verdict
    capsys.readouterr()
    assert main(["verify", str(signed["pdf"]), "--trust", str(signed["root"]),
                 "--data-dir", str(signed["tmp"] / "nodata")]) == 0
    text = capsys.readouterr().out
    assert "Kantor Perwakilan Bali" in text and "rank printed" in text and "all checks passed" in text


def test_a_changed_byte_fails(signed, capsys):
    bad = bytearray(signed["pdf"].read_bytes())
    i = bad.index(b"stream", len(bad) // 4) + 60
    bad[i] ^= 1
    path = signed["tmp"] / "flipped.pdf"
    path.write_bytes(bytes(bad))
    code, out = _verify(path, signed["root"], capsys)
    assert code == 1 and not out["ok"]
    assert not out["signatures"][0]["intact"]


def test_unsigned_and_forged_and_foreign_pdfs_are_reported(server, signed, capsys):
    g = signed["g"]
    plain = signed["tmp"] / "plain.pdf"
    run = run_cli("report-government", ROUND, g.government.id, "--out", str(plain), "--lang", "en",
                  data=server.data)
    assert "not signed" in run.stdout
    code, out = _verify(plain, signed["root"], capsys)
    assert code == 1 and out["data"]["ok"] and out["data"]["kind"] == "government"
    assert any("no electronic signature" in p for p in out["problems"])
    # attached data that no longer matches the printed score
    with pikepdf.open(plain) as pdf:
        body = json.loads(pdf.attachments["government-results.json"].get_file().read_bytes())
        body["result"]["score"] = 12.34
        pdf.attachments["government-results.json"] = pikepdf.AttachedFileSpec(
            pdf, json.dumps(body).encode(), filename="government-results.json")
        pdf.save(signed["tmp"] / "forged.pdf")
    code, out = _verify(signed["tmp"] / "forged.pdf", signed["root"], capsys)
    assert code == 1 and not out["data"]["ok"]
    assert any("attached data gives 12.34" in p for p in out["data"]["problems"])
    # a PDF with no Assessor data at all: reported, not a crash and not an assessment
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(signed["tmp"] / "foreign.pdf")
    code, out = _verify(signed["tmp"] / "foreign.pdf", signed["root"], capsys)
    assert code == 1 and not out["data"]["attached"]
    # signing is refused with one line for bad input
    run = run_cli("report-government", ROUND, g.government.id, "--out", str(plain),
                  "--p12", str(signed["tmp"] / "none.p12"), "--passphrase-file",
                  str(signed["tmp"] / "pass.txt"), data=server.data, check=False)
    assert run.returncode == 2 and run.stderr.count("\n") == 1


def test_office_download_signed_when_configured(server, signed, capsys):
    if "web-signer" not in {u["name"] for u in server.admin.list_users()}:
        server.admin.add_user("web-signer", "admin", "")
    session.set_password(server.database, "web-signer", "office-password-1")
    jar = {session.COOKIE: session.login(server.database, "web-signer", "office-password-1")}
    gid = signed["g"].government.id
    url = f"{server.url}/office/rounds/{ROUND}/governments/{gid}"
    r = httpx.get(url + "/report.pdf", cookies=jar, timeout=60)
    assert r.status_code == 200 and r.headers["x-assessor-signed"] == "no"
    assert "not signed" in httpx.get(url + "?lang=en", cookies=jar).text
    p12, pw = server.data / "office-signing.p12", server.data / "office-signing.pass"
    run = run_cli("office-certificate", signed["tmp"] / "office.p12", "--passphrase-file",
                  signed["tmp"] / "pass.txt", data=server.data)
    assert "installed: Kantor Perwakilan Bali" in run.stdout
    assert p12.read_bytes() == (signed["tmp"] / "office.p12").read_bytes()
    assert oct(p12.stat().st_mode & 0o777) == oct(0o600) == oct(pw.stat().st_mode & 0o777)
    try:
        assert "signed by the office" in httpx.get(url + "?lang=en", cookies=jar).text
        r = httpx.get(url + "/report.pdf?lang=en", cookies=jar, timeout=60)
        assert r.status_code == 200 and r.headers["x-assessor-signed"] == "office"
        path = signed["tmp"] / "web.pdf"
        path.write_bytes(r.content)
        code, out = _verify(path, signed["root"], capsys)
        assert code == 0 and out["ok"], out
    finally:
        run = run_cli("office-certificate", "--remove", data=server.data)
        assert "removed" in run.stdout and not p12.exists() and not pw.exists()
    r = httpx.get(url + "/report.pdf", cookies=jar, timeout=60)
    assert r.status_code == 200 and r.headers["x-assessor-signed"] == "no"


def test_office_certificate_refused_changes_nothing(server, signed):
    """A wrong passphrase, a revoked certificate, a missing or non-certificate file: one line,
    exit 2, nothing installed."""
    from report_helpers import CA_PASS, issue
    from assessor_app.pki import current_crl, revoke
    tmp, p12 = signed["tmp"], server.data / "office-signing.p12"
    (tmp / "wrong.txt").write_text("not the passphrase\n")
    (tmp / "junk.p12").write_bytes(b"not a certificate at all")
    revoked = tmp / "revoked.p12"
    info = issue(signed["pki"], revoked, "Pegawai Lama", "supervisor")
    revoke(signed["pki"], CA_PASS, info.serial, "key_compromise")
    (tmp / "new.crl").write_bytes(current_crl(signed["pki"]))
    run_cli("crl", tmp / "new.crl", data=server.data)
    for args, words in (((tmp / "office.p12", "--passphrase-file", tmp / "wrong.txt"), "passphrase"),
                        ((revoked, "--passphrase-file", tmp / "pass.txt"), "revoked"),
                        ((tmp / "junk.p12", "--passphrase-file", tmp / "pass.txt"), ""),
                        ((tmp / "missing.p12", "--passphrase-file", tmp / "pass.txt"), "not a file"),
                        ((), "give the office")):
        run = run_cli("office-certificate", *args, data=server.data, check=False)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr and words in (run.stderr + run.stdout), run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert not p12.exists() and not (server.data / "office-signing.pass").exists()
