"""New assessment: template, unit, sample labels, visit date, inspectors; then its checklist."""

from ui.checklist.page import ChecklistPage


def test_new_assessment_with_sample_group_opens_its_checklist(make_app):
    app = make_app()
    dialog = app.window.new_assessment(exec_dialog=False)
    dialog.select_template("mini")
    assert [ed.group.id for ed in dialog.group_editors] == ["dim_b"]
    editor = dialog.group_editors[0]
    editor.count.setValue(3)
    for edit, name in zip(editor.edits, ["Ani", "Budi", ""]):
        edit.setText(name)
    dialog.create()                                   # no unit name: refused, nothing stored
    assert "name of the assessed unit" in dialog.problem.text()
    assert app.store.list_assessments() == []
    dialog.agency.setText("Pemkot Contoh")
    dialog.unit.setText("Kantor Baru")
    dialog.inspectors.setText("Rina, Agus")
    dialog.create()
    a = app.store.get(dialog.created_uuid)
    assert a.unit["unit"] == "Kantor Baru" and a.inspectors == ["Rina", "Agus"]
    assert a.samples == {"dim_b": ["Ani", "Budi", "Officer 3"]}
    assert len(a.visit_dates) == 1 and a.status == "draft"
    page = app.window.checklist
    assert isinstance(page, ChecklistPage) and page.uuid == a.uuid
    assert ("dim_b", 2) in page.navigator.nodes
    assert app.window.home.model.rowCount() == 1
