"""The supervisor's desk end to end: a real server process and two laptops (inspector and
supervisor data folders) in one test, on SQLite and on PostgreSQL. Commands run through the
`assessor` CLI entry point (in process), sync through the real client over loopback."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import httpx
import pytest

from assessor_app.cli import main
from assessor_app.sync import SyncClient
from assessor_app.sync.errors import SyncRejected

from .conftest import completed
from .serverproc import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from report_helpers import P12_PASS, issue, make_ca  # noqa: E402


@pytest.fixture
def office(laptops, tmp_path):
    """Inspector Rina and supervisor Budi of one team, a CA, their .p12 files."""
    pki = make_ca(tmp_path / "ca")
    issue(pki, tmp_path / "rina.p12", "Rina Kartika", "inspector")
    issue(pki, tmp_path / "budi.p12", "Budi Santoso", "supervisor")
    pw = tmp_path / "pass.txt"
    pw.write_bytes(P12_PASS + b"\n")
    insp = laptops.new("rina")
    sup = laptops.new("budi", "supervisor")
    for s in (insp, sup):
        s.set_setting("crl_path", str(pki / "issuing.crl"))
    return {"insp": insp, "sup": sup, "pki": pki, "pw": pw, "tmp": tmp_path, "laptops": laptops}


def cli(store, *args, ok=True, capsys=None) -> tuple[int, str]:
    try:
        code = main([*map(str, args), "--data-dir", str(store.data_dir)])
    except SystemExit as exc:       # argparse refuses a command line with status 2
        code = exc.code
    out = capsys.readouterr() if capsys else None
    if ok:
        assert code == 0, out
    return code, (out.out if out else "")


def sync(store):
    with SyncClient(store, max_time=20) as c:
        return c.sync()


def new_work(office) -> str:
    insp = office["insp"]
    uid = completed(insp, photos=2, complete=False)
    insp.update_details(uid, inspectors=["Rina Kartika"])
    insp.complete(uid)
    return uid


def sign(office, uid, capsys):
    code, out = cli(office["insp"], "report", uid, "--sign", "--p12", office["tmp"] / "rina.p12",
                    "--passphrase-file", office["pw"], capsys=capsys)
    assert "kept" in out or "disimpan" in out


def test_round_trip_return_fix_approve(office, server, capsys):
    insp, sup, tmp = office["insp"], office["sup"], office["tmp"]
    uid = new_work(office)
    sign(office, uid, capsys)
    assert "signed" in insp.signed_reports(uid)
    assert sync(insp).pushed == [uid]

    # the supervisor pulls the full document, its photos and the signed PDF
    rep = sync(sup)
    assert rep.downloaded >= 3
    cli(sup, "review", "list", "--json", capsys=capsys)
    code = main(["review", "list", "--json", "--data-dir", str(sup.data_dir)])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and [r["uuid"] for r in rows] == [uid]
    assert rows[0]["status"] == "submitted" and rows[0]["signed"] and rows[0]["owner"].startswith("rina")
    team = sup.get(uid)
    assert team.answers == insp.get(uid).answers
    assert [e["sha256"] for e in team.evidence] == [e["sha256"] for e in insp.get(uid).evidence]
    assert sup.list_assessments() == []           # a team copy is not the supervisor's own work
    assert sup.push_candidates() == []

    # comment on an item and sample, then return with a comment
    cli(sup, "review", "comment", uid[:8], "--item", "b1", "--sample", "2",
        "the answer for Budi does not match the photo", capsys=capsys)
    code, _out = cli(sup, "review", "return", uid[:8], ok=False, capsys=capsys)
    assert code == 2                               # --comment is required
    cli(sup, "review", "return", uid[:8], "--comment", "fix b1 for Budi", capsys=capsys)
    rep = sync(sup)
    assert [r["kind"] for r in rep.reviews_sent] == ["comment", "return"]
    assert server_row(server, uid)["status"] == "returned"

    # the inspector gets the work back with the comment pinned to b1 / sample 1
    sync(insp)
    a = insp.get(uid)
    assert a.status == "returned" and a.editable
    pinned = [c for c in insp.review_thread(uid) if c["item"] == "b1"]
    assert pinned and pinned[0]["sample"] == 1 and "Budi" in pinned[0]["text"]
    assert insp.signed_reports(uid) == {}          # the old signature was of the old content

    # fix, complete, sign again, resubmit
    insp.set_answer(uid, "b1", "ramah", sample=1)
    insp.complete(uid)
    sign(office, uid, capsys)
    sync(insp)
    assert server_row(server, uid)["status"] == "submitted"

    # the supervisor sees the new version, countersigns and approves
    sync(sup)
    assert sup.get(uid).answers[("b1", 1)] == "ramah"
    cli(sup, "review", "approve", uid[:8], "--p12", tmp / "budi.p12", "--passphrase-file",
        office["pw"], capsys=capsys)
    rep = sync(sup)
    assert [r["kind"] for r in rep.reviews_sent] == ["approve"]
    assert sup.team_copy(uid)["status"] == "approved"

    sync(insp)
    assert insp.get(uid).status == "approved"

    # the final PDF: byte-identical on the server and both laptops, 2 signatures that verify
    out_i, out_s = tmp / "final-insp.pdf", tmp / "final-sup.pdf"
    cli(insp, "report", uid[:8], "--signed", "--out", out_i, capsys=capsys)
    cli(sup, "report", uid[:8], "--signed", "--out", out_s, capsys=capsys)
    listed = [r for r in json.loads(run_cli("list", "--json", data=server.data).stdout)
              if r["uuid"] == uid][0]
    assert listed["status"] == "approved" and listed["signed_pdf"] and listed["countersigned_pdf"]
    sha = insp.signed_reports(uid)["countersigned"]["sha256"]
    on_server = server.admin.blobs.path(sha).read_bytes()
    assert out_i.read_bytes() == out_s.read_bytes() == on_server
    code = main(["verify", str(out_i), "--trust", str(office["pki"] / "root.pem"), "--crl",
                 str(office["pki"] / "issuing.crl"), "--json", "--data-dir", str(tmp / "v")])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["ok"] and len(result["signatures"]) == 2
    assert_pyhanko_two_signatures(on_server, office["pki"])

    # assessments show includes the comments and decisions
    main(["assessments", "show", uid[:8], "--json", "--data-dir", str(insp.data_dir)])
    review = json.loads(capsys.readouterr().out)["review"]
    assert [d["kind"] for d in review["decisions"]] == ["return", "approve"]
    assert review["comments"][0]["item"] == "b1"
    main(["assessments", "show", uid[:8], "--data-dir", str(insp.data_dir)])
    text = capsys.readouterr().out
    assert "fix b1 for Budi" in text and "Budi" in text

    # approved work is locked on the inspector's side
    code, _ = cli(sup, "review", "return", uid[:8], "--comment", "again", ok=False, capsys=capsys)
    assert code == 2


def server_row(server, uid: str) -> dict:
    rows = json.loads(run_cli("list", "--json", data=server.data).stdout)
    return next(r for r in rows if r["uuid"] == uid)


def assert_pyhanko_two_signatures(pdf: bytes, pki: Path) -> None:
    from cryptography import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pyhanko.keys import load_cert_from_pemder
    root = load_cert_from_pemder(str(pki / "root.pem"))
    crl = (pki / "issuing.crl").read_bytes()
    x509.load_der_x509_crl(crl)
    reader = PdfFileReader(io.BytesIO(pdf))
    sigs = reader.embedded_signatures
    assert len(sigs) == 2
    for sig in sigs:
        vc = ValidationContext(trust_roots=[root], crls=[crl], allow_fetching=False)
        status = validate_pdf_signature(sig, vc)
        assert status.intact and status.trusted, status.pretty_print_details()


def test_refusals_other_team_inspector_revoked_and_race(office, server, capsys):
    insp, sup, laptops = office["insp"], office["sup"], office["laptops"]
    uid = new_work(office)
    sync(insp)                                     # submitted without a signed report (rev 1)
    sync(sup)

    # another team's supervisor never sees it: not pulled, and the API refuses
    other = laptops.new("eko", "supervisor", team="other-team")
    sync(other)
    assert other.review_queue() == []
    api = lambda store, path, body: httpx.post(  # noqa: E731
        server.url + path, json=body, headers={"Authorization": "Bearer " + store.sync_settings()["token"],
                                               "Assessor-Protocol": "1"})
    r = api(other, f"/v1/assessments/{uid}/review", {"decision": "return", "comment": "no"})
    assert r.status_code == 404
    code, _ = cli(other, "review", "return", uid, "--comment", "x", ok=False, capsys=capsys)
    assert code == 2

    # an inspector may not decide, in the API nor in the app
    r = api(insp, f"/v1/assessments/{uid}/review", {"decision": "approve", "comment": ""})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    code, _ = cli(insp, "review", "return", uid[:8], "--comment", "x", ok=False, capsys=capsys)
    assert code == 2

    # approving without the inspector's signed report is refused before any signing
    code, _ = cli(sup, "review", "approve", uid[:8], "--p12", office["tmp"] / "budi.p12",
                  "--passphrase-file", office["pw"], ok=False, capsys=capsys)
    assert code == 2 and sup.review_outbox() == []

    # a race: the supervisor returns revision 1 while the inspector sends revision 2 (signed)
    cli(sup, "review", "return", uid[:8], "--comment", "photo missing", capsys=capsys)
    sign(office, uid, capsys)
    sync(insp)
    rep = sync(sup)
    assert rep.reviews_refused and "revision" in rep.reviews_refused[0]["message"]
    kept = sup.review_outbox(("refused",))
    assert kept and kept[0]["text"] == "photo missing"      # nothing is lost
    assert server_row(server, uid)["status"] == "submitted"
    assert sup.team_copy(uid)["server_rev"] == 2            # the new version arrived

    # a countersignature on a regenerated report is refused by the server
    regenerated = tmp_report(office, uid)
    from assessor_app.evidence.files import store_blob
    sha = store_blob(sup.evidence_dir, regenerated)
    r = api(sup, "/v1/blobs/missing", {"hashes": [sha]})
    from assessor_app.sync.transport import Transport
    from assessor_app.sync import uploads
    t = Transport(server.url, sup.sync_settings()["token"])
    uploads.upload_many(t, sup.evidence_dir, [sha], workers=1)
    t.close()
    r = api(sup, f"/v1/assessments/{uid}/review", {"decision": "approve", "comment": "",
                                                   "rev": 2, "countersigned": sha})
    assert r.status_code == 422 and "regenerated" in r.json()["message"]

    # a revoked device: refused by the API and by the app's sync; its queued work stays
    cli(sup, "review", "comment", uid[:8], "still checking", capsys=capsys)
    device = sup.sync_settings()["device_id"]
    server.admin.revoke_device(device)
    r = api(sup, f"/v1/assessments/{uid}/review", {"decision": "return", "comment": "x"})
    assert r.status_code == 401 and r.json()["error"] == "revoked"
    with pytest.raises(SyncRejected) as err:
        sync(sup)
    assert err.value.code == "revoked"
    assert [e["text"] for e in sup.review_outbox()] == ["still checking"]
    assert server_row(server, uid)["status"] == "submitted"


def tmp_report(office, uid) -> bytes:
    """A fresh report of the same assessment, signed by the inspector and the supervisor (what
    a supervisor would get by regenerating instead of countersigning the archived file)."""
    from assessor_app.reports.builder import build_report
    from assessor_app.reports.signing import LocalP12Signer, sign_report
    insp, pki = office["insp"], office["pki"]
    crl = (pki / "issuing.crl").read_bytes()
    pdf = build_report(insp, uid).pdf
    pdf = sign_report(pdf, LocalP12Signer.open(office["tmp"] / "rina.p12", P12_PASS), "inspector",
                      crl_der=crl)
    return sign_report(pdf, LocalP12Signer.open(office["tmp"] / "budi.p12", P12_PASS),
                       "supervisor", crl_der=crl)


def test_fields_merged_on_the_server_are_written_back_to_both_laptops(server, laptops, tmp_path):
    """Issue 9 point 7: the inspector's two laptops edit different fields; after the server
    merged them, each laptop holds the other's field too (inspector and supervisor see the
    same document)."""
    from assessor_app.exchange import import_exchange, write_exchange
    a = laptops.new("rina")
    uid = completed(a, complete=False)
    a.set_setting("sync.push_drafts", True)
    sync(a)                                                  # rev 1
    b = laptops.new("rina")
    b.set_setting("sync.push_drafts", True)
    write_exchange(a, uid, tmp_path / "copy.zip")
    import_exchange(b, tmp_path / "copy.zip")
    sync(b)                                                  # B learns it holds rev 1 too
    b.set_answer(uid, "a3", 1)
    assert uid in sync(b).pushed                             # rev 2 from B
    a.set_answer(uid, "a4", "fair")
    rep = sync(a)                                            # rev 3, merged with B's a3
    assert rep.merged and rep.written_back == [uid]
    assert a.get(uid).answers[("a3", 0)] == 1 and a.get(uid).answers[("a4", 0)] == "fair"
    assert a.push_candidates(True) == []                     # written back, not sent again
    rep = sync(b)                                            # B pulls rev 3 and adopts it
    assert b.get(uid).answers[("a4", 0)] == "fair" and b.get(uid).answers[("a3", 0)] == 1
    assert "server_merge" in [h["action"] for h in b.history(uid)]
