"""The template editor's flows: add an item, change a weight and see the preview score change, an
invalid band shown at its field with the validate command's message, save as a new version
(assessments stay pinned), the diff, reorder by keyboard and by drop, the findings library."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from assessor_app.errors import TemplateInvalid
from assessor_app.templates.loader import build_template

from .conftest import MINI as MINI_PATH, new_mini


@pytest.fixture
def editor(make_app):
    app = make_app()
    page = app.window.templates
    ed = page.open_editor("mini")
    ed.flush()
    yield app, ed
    ed.doc.dirty = False
    ed.close()


def select(ed, path):
    ed.tree.rebuild(ed.doc, path)
    ed.panel.show_node(path)
    ed.refresh_problems()


def test_add_item_appears_in_tree_and_preview(editor):
    app, ed = editor
    before = len(ed.doc.template.items)
    select(ed, ("sections", 0, "items", 0))
    new = ed.add_item()
    assert new == ("sections", 0, "items", 1)
    assert len(ed.doc.template.items) == before + 1
    new_id = ed.doc.get(new)["id"]
    assert ed.tree.current_path() == new
    ed.flush()
    assert new_id in ed.preview.controls            # rendered with the inspector's control


def test_changing_a_weight_changes_the_preview_score(editor, qtbot):
    app, ed = editor
    first = ed.doc.get(("sections", 0, "items", 0))
    second = ed.doc.get(("sections", 0, "items", 1))
    assert first["type"] in ("yes_no", "yes_no_na") and second["type"] in ("yes_no", "yes_no_na")
    ed.preview.answer(first["id"], "yes")
    ed.preview.answer(second["id"], "no")
    score_before = ed.preview.result.total
    select(ed, ("sections", 0, "items", 0))
    field = ed.panel.widgets["weight"]
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "5")
    assert ed.doc.get(("sections", 0, "items", 0))["weight"] == 5
    ed.flush()
    assert ed.preview.result.total != score_before
    assert ed.preview.result.total > score_before            # the "yes" now weighs more
    assert ed.preview.total.text() != ""


def test_invalid_band_is_shown_at_its_field_with_the_validate_message(editor):
    app, ed = editor
    select(ed, ())
    table = ed.panel.widgets["bands"]
    col = [k for k, _h, _t in table.columns].index("min")
    table.table.item(0, col).setText("50")     # opens a gap below band 0 / overlaps
    assert ed.doc.problems
    body = ed.doc.body
    with pytest.raises(TemplateInvalid) as info:
        build_template(body, "editor")
    expected = info.value.problems[0][1]
    assert table.error.isVisible() and expected in table.error.text()
    assert not ed.save_button.isEnabled()
    assert ed.problem_list.count() == len(info.value.problems)


def test_an_empty_english_text_is_shown_at_the_indicator_field(editor, qtbot):
    app, ed = editor
    select(ed, ("sections", 0, "items", 0))
    text = ed.panel.widgets["text"]
    text.edits["en"].clear()
    assert text.error.isVisible()
    assert "sections[0].items[0].text.en" in {p for p, _m in ed.doc.problems}
    qtbot.keyClicks(text.edits["en"], "Board")
    assert not text.error.isVisible() and not ed.doc.problems


def test_save_as_new_version_keeps_assessments_pinned_and_diff_lists_the_change(editor):
    app, ed = editor
    uid = new_mini(app)
    old = app.store.get_template("mini")
    select(ed, ("sections", 0, "items", 0))
    ed.panel.widgets["weight"].edit.setText("3")
    ed.panel.widgets["weight"]._edited("3")
    saved = ed.save_new_version()
    assert saved is not None and saved.version != old.version
    assert app.store.get_template("mini").version == saved.version
    assert app.store.template_of(uid).hash == old.hash
    assert [r["version"] for r in app.store.template_versions("mini")] == [old.version, saved.version]
    assert "mini" in [r["id"] for r in app.window.templates.rows]
    dialog = ed.show_diff()
    dialog.old.setCurrentIndex(dialog.old.findData(old.version))
    dialog.new.setCurrentIndex(dialog.new.findData(saved.version))
    text = dialog.text.toPlainText()
    first_id = old.body["sections"][0]["items"][0]["id"]
    assert f"~ item {first_id}: weight" in text and "-> 3" in text
    dialog.close()


def test_reorder_by_keyboard_and_by_drop(editor, qtbot):
    app, ed = editor
    ids = [i["id"] for i in ed.doc.body["sections"][0]["items"]]
    select(ed, ("sections", 0, "items", 0))
    ed.tree.setFocus()
    qtbot.keyClick(ed.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    moved = [i["id"] for i in ed.doc.body["sections"][0]["items"]]
    assert moved[:2] == [ids[1], ids[0]] and ed.tree.current_path() == ("sections", 0, "items", 1)
    # drop the first item of section 0 onto section 1: it joins that section's items
    target_items = len(ed.doc.body["sections"][1].get("items", []))
    new = ed.drop(("sections", 0, "items", 0), ("sections", 1), "on")
    assert new == ("sections", 1, "items", target_items)
    assert ed.doc.get(new)["id"] == ids[1]
    # an item cannot be dropped between sections
    assert ed.drop(("sections", 1, "items", 0), ("sections", 0), "above") is None


def test_library_entry_fills_finding_and_action(editor):
    app, ed = editor
    app.store.save_library_entry("papan", finding_id="Papan informasi tidak ada",
                                 finding_en="No information board", action_id="Pasang papan",
                                 action_en="Put up a board")
    select(ed, ("sections", 0, "items", 0))
    ed.panel.insert_library_entry(app.store.library_entries()[0])
    item = ed.doc.get(("sections", 0, "items", 0))
    assert item["finding"] == {"id": "Papan informasi tidak ada", "en": "No information board"}
    assert item["action"]["en"] == "Put up a board"


def test_editor_is_hidden_for_an_enrolled_inspector(make_app):
    app = make_app()
    with app.store.transaction() as c:
        for key, value in (("token", "t"), ("server", "http://127.0.0.1:1"), ("role", "inspector")):
            app.store._set(c, key, value)
    from ui.templates_page import TemplatesPage
    page = TemplatesPage(app.ctx)
    assert not page.edit_button.isVisible() and page.edit_button.isHidden()
    with app.store.transaction() as c:
        app.store._set(c, "role", "supervisor")
    assert not TemplatesPage(app.ctx).edit_button.isHidden()


@pytest.mark.parametrize("breakage", [
    lambda b: b["sections"][0]["items"][0].__setitem__("weight", "abc"),
    lambda b: b["sections"][0]["items"][0].__setitem__("colour", "red"),
    lambda b: b["sections"][0]["items"][0]["text"].__setitem__("en", ""),
    lambda b: b["bands"][0].__setitem__("zone", "blue"),
    lambda b: b["sections"][0].__setitem__("weight", -1),
    lambda b: b["sections"][0]["items"][1].__setitem__("relevant", "nothing_here == 1"),
    lambda b: b["bands"][0].__setitem__("min", 10),
])
def test_editor_validation_says_what_the_validate_command_says(breakage):
    """The editor checks node by node; the messages and paths equal the full validation's."""
    import copy
    from assessor_app.templates.loader import load_template
    from ui.template_editor.document import EditorDocument
    original = load_template(MINI_PATH).body
    doc = EditorDocument(original)
    assert doc.problems == []
    breakage(doc.body)
    doc.touched = None                      # compare by content, as after an arbitrary edit
    doc.rules_needed = True
    broken = copy.deepcopy(doc.body)
    with pytest.raises(TemplateInvalid) as info:
        build_template(broken, "editor")
    expected = [(loc.split(": ", 1)[1], msg) for loc, msg in info.value.problems]
    assert doc.validate() == expected


def test_scale_point_zero_is_shown_and_edits_keep_whole_numbers(editor):
    app, ed = editor
    body = ed.doc.body
    path = next(((("sections", si, "items", ii)) for si, s in enumerate(body["sections"])
                 for ii, it in enumerate(s.get("items", [])) if it["type"] == "scale"))
    select(ed, path)
    table = ed.panel.widgets["scale"]
    assert table.table.item(0, 0).text() == "0"
    table.table.item(1, 3).setText("5")            # a score for point 1
    assert ed.doc.get(path)["scale"][1]["score"] == 5 and ed.doc.get(path)["scale"][0]["value"] == 0


def test_templates_page_exports_and_imports_xlsform(make_app, tmp_path):
    from assessor_app.templates.xlsform_read import read_xlsform
    app = make_app()
    page = app.window.templates
    page.table.selectRow([r["id"] for r in page.rows].index("mini"))
    out = tmp_path / "mini.xlsx"
    page.export_xlsform(str(out))
    raw, skipped = read_xlsform(out)
    assert skipped == [] and build_template(raw).hash == app.store.get_template("mini").hash
    raw["version"] = "7.0"
    from assessor_app.templates.loader import build_template as bt
    from assessor_app.templates.xlsform import export_xlsform
    other = tmp_path / "mini7.xlsx"
    other.write_bytes(export_xlsform(bt(raw)))
    page.import_from_file(str(other))
    assert "7.0" in [r["version"] for r in page.rows if r["id"] == "mini"]
