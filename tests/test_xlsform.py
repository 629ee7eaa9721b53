"""XLSForm in and out: shipped templates survive the round trip (same hash, pyxform converts
them, the same answers score the same), forms from elsewhere import with the rows that cannot
map reported by row and column."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assessor_app.errors import TemplateInvalid
from assessor_app.scoring import AnswerSheet, score
from assessor_app.templates.loader import build_template, load_template
from assessor_app.templates.xlsform import check_with_pyxform, export_xlsform
from assessor_app.templates.xlsform_read import XLSFormError, read_xlsform

RES = Path(__file__).resolve().parent.parent / "resources" / "templates"
SHIPPED = sorted(RES.glob("*.yaml"))


def random_answers(template, rng: random.Random) -> AnswerSheet:
    answers, samples = {}, {}
    for group in template.sample_groups():
        samples[group.id] = rng.randint(group.sample.min, min(group.sample.max, 4))
    for item in template.walk_items():
        count = samples.get(item.sample_group, 1) if item.sample_group else 1
        for s in range(count):
            if rng.random() < 0.1:
                continue
            if item.type == "yes_no":
                v = rng.choice(["yes", "no"])
            elif item.type == "yes_no_na":
                v = rng.choice(["yes", "no", "na"])
            elif item.type == "scale":
                v = rng.choice([o.value for o in item.options] + (["na"] if item.allow_na else []))
            elif item.type == "choice":
                v = rng.choice([o.value for o in item.options])
            elif item.type == "multi_choice":
                plain = [o.value for o in item.options if not o.exclusive and not o.na]
                v = rng.sample(plain, rng.randint(1, len(plain)))
            elif item.type == "number":
                lo = item.min if item.min is not None else 0
                hi = item.max if item.max is not None else 100
                v = rng.randint(int(lo), int(hi))
            else:
                continue
            answers[(item.id, s)] = v
    return AnswerSheet(answers=answers, samples=samples)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_template_round_trips_through_xlsform(path, tmp_path):
    original = load_template(path)
    data = export_xlsform(original)
    warnings = check_with_pyxform(data)          # raises when pyxform cannot convert it
    assert not [w for w in warnings if "error" in w.lower()]
    form = tmp_path / f"{original.id}.xlsx"
    form.write_bytes(data)
    raw, skipped = read_xlsform(form)
    assert skipped == []
    back = build_template(raw, form.name)
    assert back.hash == original.hash           # unchanged form: the same template, same hash
    rng = random.Random(path.stem)
    for _ in range(25):
        sheet = random_answers(original, rng)
        a, b = score(original, sheet), score(back, sheet)
        assert a.total == b.total and a.band == b.band
        assert {k: v.points for k, v in a.items.items()} == {k: v.points for k, v in b.items.items()}


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_exported_form_passes_odk_validate():
    from pyxform.xls2xform import convert
    import io
    data = export_xlsform(load_template(RES / "k3_kebakaran.yaml"))
    result = convert(xlsform=io.BytesIO(data), validate=True, file_type=".xlsx")
    assert "<h:title>" in result.xform


def _edit(path: Path, sheet: str, column: str, row_name: str, value) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    col = headers.index(column) + 1
    name_col = headers.index("name") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, name_col).value == row_name:
            ws.cell(r, col).value = value
    book.save(path)


def test_edits_in_the_spreadsheet_arrive_and_change_the_hash(tmp_path):
    original = load_template(RES / "k3_kebakaran.yaml")
    form = tmp_path / "k3.xlsx"
    form.write_bytes(export_xlsform(original))
    _edit(form, "survey", "assessor::weight", "apar_jarak", 3)
    # the office rewrote the XPath by hand: the condition is translated from it, not the old text
    _edit(form, "survey", "relevant", "sprinkler_katup",
          "${ada_sprinkler} = 'yes' and ${apar_jumlah} >= 2")
    raw, skipped = read_xlsform(form)
    back = build_template(raw, form.name)
    assert skipped == [] and back.hash != original.hash
    assert back.items["apar_jarak"].weight == 3
    assert back.items["sprinkler_katup"].relevant == "ada_sprinkler == 'yes' and apar_jumlah >= 2"


def _workbook(path: Path, survey: list[list], choices: list[list] | None = None,
              settings: list[list] | None = None) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "survey"
    for row in survey:
        ws.append(row)
    if choices:
        c = book.create_sheet("choices")
        for row in choices:
            c.append(row)
    if settings:
        s = book.create_sheet("settings")
        for row in settings:
            s.append(row)
    book.save(path)
    return path


def test_unmappable_rows_are_named_by_row_and_column_and_the_rest_imports(tmp_path):
    form = _workbook(tmp_path / "wild.xlsx", [
        ["type", "name", "label:English", "relevant", "constraint", "calculation"],
        ["begin group", "kantor", "Office"],
        ["select_one yn", "papan", "Is there a sign board?"],
        ["integer", "loket", "Counters", "", ". >= 0 and . <= 20"],
        ["calculate", "dobel", "", "", "", "${loket} * 2"],
        ["note", "info", "Read this"],
        ["text", "nama", "Name", "string-length(${papan}) > 2"],
        ["decimal", "suhu", "Temperature", "", "regex(., '^[0-9]+$')"],
        ["select_one_from_file kota.csv", "kota", "City"],
        ["date", "tanggal", "Date", "${dobel} > 4"],
        ["end group"],
        ["begin loop over yn", "ulang", "Loop"],
        ["integer", "berapa", "How many?"],
        ["end loop"],
        ["begin repeat", "produk", "Product"],
        ["select_one yn", "ktp", "ID card service?", "${papan} = 'yes'"],
        ["end repeat"],
    ], choices=[["list_name", "name", "label:English"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
        settings=[["form_title", "form_id", "version"], ["Wild form", "wild", "3"]])
    raw, skipped = read_xlsform(form)
    where = {w.split(": ", 1)[1]: m for w, m in skipped}
    assert "calculation" in where["survey row 5, column 'type'"]
    assert "note" in where["survey row 6, column 'type'"]
    assert "string-length" in where["survey row 7, column 'relevant'"]
    assert "regex" in where["survey row 8, column 'constraint'"]
    assert "select_one_from_file" in where["survey row 9, column 'type'"]
    assert "dobel" in where["survey row 10, column 'relevant'"]     # refers to a skipped row
    assert "loop" in where["survey row 12, column 'type'"]
    assert len(skipped) == 7                                          # the loop's content is not listed
    t = build_template(raw, form.name)
    assert t.id == "wild" and t.version == "3"
    assert set(t.items) == {"papan", "loket", "ktp"}
    assert t.items["papan"].type == "yes_no" and t.items["loket"].max == 20
    assert t.items["ktp"].relevant == "papan == 'yes'" and t.section_index["produk"].sample
    assert [b.zone for b in t.bands] == ["green", "yellow", "red"]   # default bands


def test_loose_items_get_a_section_and_one_language_fills_both(tmp_path):
    form = _workbook(tmp_path / "plain.xlsx", [
        ["type", "name", "label"], ["text", "nama", "Nama petugas"],
        ["select_multiple fac", "fasilitas", "Fasilitas"]],
        choices=[["list name", "name", "label"], ["fac", "ramp", "Ramp"], ["fac", "toilet", "Toilet"]])
    raw, skipped = read_xlsform(form)
    t = build_template(raw, form.name)
    assert skipped == [] and t.id == "plain"
    assert t.sections[0].title.en == "General" and t.items["nama"].text.en == "Nama petugas"
    assert t.items["fasilitas"].type == "multi_choice" and not t.items["fasilitas"].scored


def test_a_file_that_is_not_a_workbook_is_one_clear_error(tmp_path):
    bad = tmp_path / "form.xlsx"
    bad.write_text("hello")
    with pytest.raises(XLSFormError, match="not an .xlsx workbook"):
        read_xlsform(bad)
    empty = _workbook(tmp_path / "nosurvey.xlsx", [["a"]])
    book = load_workbook(empty)
    book["survey"].title = "other"
    book.save(empty)
    with pytest.raises(XLSFormError, match="survey"):
        read_xlsform(empty)


def test_a_form_where_nothing_maps_is_refused(tmp_path):
    form = _workbook(tmp_path / "calc.xlsx", [["type", "name", "calculation"],
                                              ["calculate", "x", "1 + 1"]])
    with pytest.raises(TemplateInvalid, match="no row of the survey sheet can map"):
        read_xlsform(form)


def test_older_spellings_map_and_or_other_is_refused(tmp_path):
    form = _workbook(tmp_path / "old.xlsx", [
        ["type", "name", "label::English (en)"],
        ["select one from yn", "papan", "Sign board?"],
        ["select all that apply from fac", "fas", "Facilities"],
        ["phone number", "telp", "Phone"],
        ["select one from fac or specify other", "lain", "Other"]],
        choices=[["list name", "name", "label::English (en)"], ["yn", "yes", "Yes"], ["yn", "no", "No"],
                 ["fac", "ramp", "Ramp"], ["fac", "wc", "Toilet"]])
    raw, skipped = read_xlsform(form)
    t = build_template(raw, form.name)
    assert t.items["papan"].type == "yes_no" and t.items["fas"].type == "multi_choice"
    assert t.items["telp"].type == "text" and "lain" not in t.items
    assert len(skipped) == 1 and "row 5, column 'type'" in skipped[0][0]
    assert "or other" in skipped[0][1]
