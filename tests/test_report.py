"""The PDF report: pages, languages, DRAFT, table splitting, PDF/A-3b packaging."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest

from assessor_app.exchange import parse_exchange, rescore
from assessor_app.reports import build_report
from assessor_app.reports.data import gather, report_number
from assessor_app.reports.inspect import report_facts
from assessor_app.reports.layout import DRAFT_TAG, QR_TEXT_TAG, SCORE_TAG
from helpers import filled_mini, mini_store
from report_helpers import LONG_NOTE, filled_big, pdf_pages_text


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mini")
    store = mini_store(tmp)
    store.set_setting("organisation", "Ombudsman Republik Indonesia")
    uid = filled_mini(store)
    draft = {lang: build_report(store, uid, lang=lang) for lang in ("id", "en")}
    store.complete(uid)
    final = build_report(store, uid, lang="id")
    for name, rep in [("draft-id", draft["id"]), ("draft-en", draft["en"]), ("final", final)]:
        (tmp / f"{name}.pdf").write_bytes(rep.pdf)
    yield {"store": store, "uid": uid, "draft": draft, "final": final, "dir": tmp}
    store.close()


def test_report_number_names_the_year_the_assessment_and_its_revision(mini):
    a = mini["store"].get(mini["uid"])
    assert report_number(a) == f"2026-{a.uuid[:8].upper()}-{a.history_seq}"
    assert mini["final"].report_no == report_number(a)


def test_every_page_type_in_both_languages(mini):
    pages = pdf_pages_text(mini["dir"] / "draft-id.pdf")
    if pages is None:
        pytest.skip("poppler's pdftotext is not installed")
    text = " ".join(" ".join(pages).split())
    for heading in ("Laporan Penilaian", "Ringkasan", "Hasil rinci", "Temuan dan tindakan korektif",
                    "Tanda tangan", "Metodologi", "Lampiran foto"):
        assert heading in text, heading
    assert "Tidak" in pages[2] and "Ya" in pages[2]          # answers as words
    assert "Pasang papan informasi." in text                  # corrective action
    assert "Kepala Kantor" in text and "31 Januari 2027" in text
    en = "\n".join(pdf_pages_text(mini["dir"] / "draft-en.pdf"))
    for heading in ("Assessment report", "Summary", "Detailed results",
                    "Findings and corrective actions", "Signatures", "Methodology", "Photo appendix"):
        assert heading in en, heading
    assert "Laporan Penilaian" not in en


def test_footer_page_x_of_y_and_report_number_on_every_page(mini):
    pages = pdf_pages_text(mini["dir"] / "draft-id.pdf")
    if pages is None:
        pytest.skip("poppler's pdftotext is not installed")
    n = len(pages)
    assert n == mini["draft"]["id"].pages
    for i, page in enumerate(pages, 1):
        assert f"Halaman {i} dari {n}" in page
        assert mini["draft"]["id"].report_no in page


def test_draft_watermark_only_until_completed(mini):
    assert mini["draft"]["id"].draft and not mini["final"].draft
    draft = report_facts(mini["draft"]["id"].pdf, (DRAFT_TAG,))
    assert draft.texts(DRAFT_TAG) == ["DRAF"] * mini["draft"]["id"].pages   # on every page
    assert report_facts(mini["draft"]["en"].pdf, (DRAFT_TAG,)).texts(DRAFT_TAG)[0] == "DRAFT"
    assert report_facts(mini["final"].pdf, (DRAFT_TAG,)).texts(DRAFT_TAG) == []


def test_printed_score_and_qr_hash_are_marked_and_match_the_data(mini):
    rep = mini["final"]
    facts = report_facts(rep.pdf, (SCORE_TAG, QR_TEXT_TAG))
    raw = facts.attachments["assessment.json"]
    ex = parse_exchange(raw)
    assert ex.doc["assessment"]["uuid"] == mini["uid"]
    total = rescore(ex).total
    assert facts.texts(SCORE_TAG) == [f"{total:.2f}".replace(".", ",")] * 2   # cover + summary
    import hashlib
    assert "".join(facts.texts(QR_TEXT_TAG)) == hashlib.sha256(raw).hexdigest() == rep.data_hash


def test_pdfa3b_markers(mini):
    with pikepdf.open(io.BytesIO(mini["final"].pdf)) as pdf:
        assert pdf.pdf_version == "1.7"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"].startswith("Laporan Penilaian")
        spec = pdf.attachments["assessment.json"]
        assert spec.obj.AFRelationship == pikepdf.Name.Data
        assert spec.obj.objgen in [o.objgen for o in pdf.Root.AF]
        stream = spec.obj.EF.F
        assert stream.Subtype == pikepdf.Name("/application/json") and "/ModDate" in stream.Params
        assert json.loads(stream.read_bytes())["format"] == "assessor-exchange/1"
        fonts = set()
        for page in pdf.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                desc = font.get("/FontDescriptor")
                if desc is None and "/DescendantFonts" in font:
                    desc = font.DescendantFonts[0].FontDescriptor
                assert desc is not None and "/FontFile2" in desc, font.BaseFont
                fonts.add(str(font.BaseFont))
        assert any("DejaVuSans" in f for f in fonts)
        assert not any(pikepdf.Name.Trans in p.obj for p in pdf.pages)


def test_pdfa_validator_finds_no_violation(mini, tmp_path):
    pdfa = pytest.importorskip("pikepdf.pdfa", exc_type=ImportError)
    path = tmp_path / "r.pdf"
    path.write_bytes(mini["final"].pdf)
    report = pdfa.validate_written(path, "3b")
    violations = [str(f) for f in report.findings if "[violation]" in str(f)]
    assert violations == []


def test_signature_fields_sit_in_the_signature_boxes(mini):
    with pikepdf.open(io.BytesIO(mini["final"].pdf)) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        assert set(fields) == {"Inspector", "Supervisor"}
        assert "/V" not in fields["Inspector"] and "/Lock" not in fields["Inspector"]
        lock = fields["Supervisor"].Lock
        assert lock.Action == pikepdf.Name.All and lock.P == 1
        page = [p for p in pdf.pages if "/Annots" in p.obj]
        assert len(page) == 1 and len(page[0].Annots) == 2
        for f in fields.values():
            x1, y1, x2, y2 = map(float, f.Rect)
            assert x2 - x1 > 200 and y2 - y1 > 80 and f.F == 4


def test_long_tables_split_with_repeated_headers_and_long_text_wraps(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_big(store)
    rep = build_report(store, uid, lang="id")
    path = tmp_path / "big.pdf"
    path.write_bytes(rep.pdf)
    pages = pdf_pages_text(path)
    if pages is None:
        pytest.skip("poppler's pdftotext is not installed")
    detail_pages = [p for p in pages if "Indikator nomor" in p and "UU 25/2009" in p]
    assert len(detail_pages) >= 3
    for p in detail_pages:
        assert "Indikator" in p.split("Indikator nomor")[0]   # the header row comes first
    joined = " ".join(" ".join(pages).split())
    assert "robek. Papan informasi" in joined           # the long note is there, wrapped
    assert "Indikator nomor 89" in joined
    assert joined.count("Papan informasi standar pelayanan") >= 24   # note + long answer, whole


def test_gather_uses_settings_and_refuses_a_missing_logo(tmp_path):
    from assessor_app.reports import ReportError
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.set_setting("organisation", "Dinas Contoh")
    store.set_setting("language", "en")
    ctx = gather(store, uid)
    assert ctx.organisation == "Dinas Contoh" and ctx.lang == "en"
    with pytest.raises(ReportError, match="logo"):
        gather(store, uid, logo_path=tmp_path / "missing.png")
    assert LONG_NOTE  # imported for the big-table test
