"""Issue 14: a report a supervisor signs without hesitation. Real PDFs, read back with poppler's
pdftotext page by page, real certificates, the real CLI."""

from __future__ import annotations

import re
import shutil

import pytest

from assessor_app.cli import main
from assessor_app.demo import demo_photo, load_demo
from assessor_app.pki import ca_certificates, current_crl
from assessor_app.reports import LocalP12Signer, SigningRefused, build_report, sign_report, verify_report
from assessor_app.reports.data import approval_of, gather
from assessor_app.reports.details import photo_refs
from assessor_app.reports.inspect import report_facts
from assessor_app.reports.summary import _contributions, total_line
from assessor_app.store import AssessmentStore
from helpers import filled_mini, mini_store
from report_helpers import P12_PASS, filled_big, issue, make_ca, pdf_pages_text

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo14")
    store = AssessmentStore(tmp / "data", actor="test")
    load_demo(store)
    rows = store.list_assessments()
    ids = {"approved": next(r["uuid"] for r in rows if r["status"] == "approved"),
           "k2021": next(r["uuid"] for r in rows if r["template_id"] == "ori_kepatuhan_2021"
                         and r["status"] == "completed"),
           "k3": next(r["uuid"] for r in rows if r["template_id"] == "k3_kebakaran")}
    yield tmp, store, ids
    store.close()


def _write(tmp, name, pdf: bytes):
    path = tmp / name
    path.write_bytes(pdf)
    return path


@needs_poppler
def test_a_row_never_splits_across_pages(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_big(store)
    report = build_report(store, uid, lang="id")
    pages = pdf_pages_text(_write(tmp_path, "big.pdf", report.pdf))
    flat = [_flat(p) for p in pages if "Lampiran foto" not in p]   # photo captions repeat it
    assert report.pages > 5
    for i in range(90):     # each indicator (with its answer in the same row) whole on one page
        text = (f"Indikator nomor {i}: apakah informasi pelayanan ditampilkan dengan jelas dan "
                f"mudah dibaca oleh pengguna layanan berkebutuhan khusus?")
        assert sum(text in page for page in flat) == 1, f"row {i} is split or missing"


@needs_poppler
def test_demo_full_report_is_compact_and_its_answers_are_whole(demo):
    tmp, store, ids = demo
    report = build_report(store, ids["approved"], lang="en")
    assert report.pages <= 20          # was 46: samples of a group side by side
    pages = pdf_pages_text(_write(tmp, "full.pdf", report.pdf))
    text = "\n".join(pages)
    assert "see indicator column" not in text
    for page in pages:                 # no table header left alone at the bottom of a page
        lines = [ln for ln in page.splitlines() if ln.strip()]
        assert not lines or lines[-1].strip() not in ("No.", "Indicator")
    assert "Score 96.94 = mean of the 30 per-sample scores" in _flat(text)


@needs_poppler
def test_summary_report_is_at_most_8_pages_and_points_add_up(demo, capsys):
    tmp, store, ids = demo
    report = build_report(store, ids["approved"], lang="en", kind="summary")
    assert report.kind == "summary" and report.pages <= 8
    ctx = gather(store, ids["approved"], lang="en")
    parts = _contributions(ctx, list(ctx.template.sections))
    assert sum(parts) == ctx.result.total        # the printed points add up to the printed total
    text = _flat("\n".join(pdf_pages_text(_write(tmp, "sum.pdf", report.pdf))))
    assert "How the total follows" in text and "Detailed results" not in text
    assert "the sum of the points each dimension earned" in text
    for part in parts:
        assert f"{part:.2f}" in text
    # the 2021 instrument: no weights, the total is the mean of the per-product scores
    ctx21 = gather(store, ids["k2021"], lang="en")
    line = total_line(ctx21)
    scores = [f"{v:.2f}" for v in ctx21.result.sections[ctx21.template.sections[0].id].per_sample]
    assert line.startswith(f"Total {ctx21.result.total:.2f} = mean of the per-sample scores")
    assert all(s in line for s in scores)
    text21 = _flat("\n".join(pdf_pages_text(_write(
        tmp, "sum21.pdf", build_report(store, ids["k2021"], lang="en", kind="summary").pdf))))
    assert line in text21


@needs_poppler
def test_english_report_has_no_indonesian_band_names(demo):
    tmp, store, ids = demo
    for key in ("k2021", "k3"):
        text = "\n".join(pdf_pages_text(_write(tmp, f"{key}-en.pdf",
                                               build_report(store, ids[key], lang="en").pdf)))
        found = re.findall(r"\b(HIJAU|KUNING|MERAH|Hijau|Kuning|Merah|BAIK|CUKUP|KURANG)\b", text)
        assert not found, found


@needs_poppler
def test_approved_report_names_who_approved_and_when(demo):
    tmp, store, ids = demo
    uid = ids["approved"]
    local = approval_of(store, uid)
    assert local is not None and local["at"]
    store.conn.execute("INSERT INTO sync_comments(uuid, assessment, author, kind, text, at) "
                       "VALUES(?,?,?,?,?,?)", ("c-1", uid, "Sari Wulandari", "approve", "",
                                              "2026-12-01T03:04:05Z"))
    store.conn.commit()
    assert approval_of(store, uid) == {"name": "Sari Wulandari", "at": "2026-12-01T03:04:05Z"}
    text = _flat("\n".join(pdf_pages_text(_write(
        tmp, "appr.pdf", build_report(store, uid, lang="en", kind="summary").pdf))))
    assert "Name: Sari Wulandari" in text and "Approved on: 2026-12-01" in text
    assert approval_of(store, ids["k2021"]) is None             # completed, not approved


@needs_poppler
def test_every_inspector_has_a_box_and_findings_coverage_is_said(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.update_details(uid, inspectors=["Rina Kartika", "Agus Salim"])
    store.complete(uid)
    report = build_report(store, uid, lang="en")
    facts = report_facts(report.pdf)
    assert set(facts.fields) == {"Inspector", "Inspector 2", "Supervisor"}
    text = _flat("\n".join(pdf_pages_text(_write(tmp_path, "two.pdf", report.pdf))))
    assert "Name: Rina Kartika" in text and "Name: Agus Salim" in text
    assert "answers not fully compliant, 1 of them with a finding" in text


def test_photo_references_follow_the_attachment_not_the_image(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    same = demo_photo("same", 7)
    store.add_photo(uid, "b1", same, sample=0, caption="A", original_name="a.jpg")
    store.add_photo(uid, "b1", same, sample=1, caption="B", original_name="b.jpg")
    ctx = gather(store, uid, lang="en")
    refs = photo_refs(ctx)
    assert len(refs[("b1", 0)]) == 1 and len(refs[("b1", 1)]) == 1
    assert refs[("b1", 0)] != refs[("b1", 1)]


@pytest.fixture()
def office(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    team = filled_mini(store)
    store.update_details(team, inspectors=["Siti Nurhaliza"])
    store.complete(uid)
    store.complete(team)
    pki = make_ca(tmp_path / "data")
    for key, name, role in (("rina", "Rina Kartika", "inspector"),
                            ("budi", "Budi Santoso", "supervisor")):
        issue(pki, tmp_path / f"{key}.p12", name, role)
    report = build_report(store, team, lang="en").pdf
    store.close()
    return tmp_path, pki, report


def test_a_signer_the_report_does_not_name_is_refused_and_reported(office, monkeypatch):
    tmp, pki, report = office
    rina = LocalP12Signer.open(tmp / "rina.p12", P12_PASS)
    crl = current_crl(pki)
    with pytest.raises(SigningRefused, match="Rina Kartika is not one of the inspectors this "
                                             r"report names \(Siti Nurhaliza\)"):
        sign_report(report, rina, "inspector", crl_der=crl)
    from assessor_app.reports import signing       # an older app signed it anyway
    monkeypatch.setattr(signing, "inspector_field_for", lambda doc, cert: "Inspector")
    monkeypatch.setattr(signing, "signer_problem", lambda doc, field, cert: None)
    signed = sign_report(report, rina, "inspector", crl_der=crl)
    root, _ = ca_certificates(pki)
    result = verify_report(signed, root, crls=[crl])
    assert not result.ok and not result.signatures[0].ok
    assert any("not the inspector named for this box" in p for p in result.signatures[0].problems)
    out = tmp / "signed.pdf"
    out.write_bytes(signed)
    assert main(["--data-dir", str(tmp / "data"), "verify", str(out), "--lang", "en"]) == 1


def test_a_supervisor_outside_the_team_is_refused(office):
    from assessor_app.reports.people import signer_problem
    tmp, pki, report = office
    budi = LocalP12Signer.open(tmp / "budi.p12", P12_PASS)
    assert signer_problem({"people": {"inspectors": ["Siti"]}}, "Supervisor", budi.certificate) is None
    problem = signer_problem({"people": {"inspectors": ["Siti"], "team": "Tim Kaltim"}},
                             "Supervisor", budi.certificate)
    assert problem is not None and "Tim Kaltim" in problem


def test_truncated_pdf_and_missing_p12_give_one_line_and_exit_2(office, capsys):
    tmp, pki, report = office
    cut = tmp / "cut.pdf"
    cut.write_bytes(report[: len(report) // 2])
    data = ["--data-dir", str(tmp / "data")]
    root = pki / "root.pem"
    assert main(data + ["verify", str(cut), "--trust", str(root), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "incomplete" in err and "Traceback" not in err
    monkey_env = {"ASSESSOR_PASSPHRASE": P12_PASS.decode()}
    import os
    os.environ.update(monkey_env)
    try:
        assert main(data + ["sign", str(cut), "--p12", str(tmp / "rina.p12"), "--as", "inspector",
                            "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "incomplete" in err
        full = tmp / "full.pdf"
        full.write_bytes(report)
        assert main(data + ["sign", str(full), "--p12", str(tmp / "nobody.p12"), "--as",
                            "inspector", "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert "nobody.p12" in err and "pki init" not in err and err.count("\n") == 1
    finally:
        os.environ.pop("ASSESSOR_PASSPHRASE", None)


def test_lang_after_the_command_sets_the_report_and_its_message(tmp_path, capsys):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.close()
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(data + ["report", uid[:8], "--out", str(tmp_path / "r.pdf"), "--lang", "en",
                        "--summary"]) == 0
    assert capsys.readouterr().out.startswith("Wrote report")
    assert main(data + ["report", uid[:8], "--out", str(tmp_path / "r2.pdf"), "--lang", "id"]) == 0
    assert capsys.readouterr().out.startswith("Laporan")
    assert main(data + ["verify", str(tmp_path / "none.pdf"), "--lang", "en"]) == 2
    assert "not found" in capsys.readouterr().err
