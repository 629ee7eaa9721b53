"""Samples in the checklist (issue 12): remove with Ctrl+Z, reorder, not interviewed; template
text and default sample names follow the reader's language."""

from PySide6.QtCore import Qt

from assessor_app.i18n import set_language
from assessor_app.reference_text import default_sample_label, finding_text

from .conftest import new_mini


def _open(app, samples=("Ani", "Budi", "Citra")):
    uid = new_mini(app, samples=samples)
    return uid, app.window.open_assessment(uid)


def test_remove_a_sample_asks_and_ctrl_z_brings_it_back(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.session.set_answer("b1", 1, "biasa")
    page.session.set_answer("b1", 2, "kasar")
    page.show_page(("dim_b", 1), focus=True)
    app.dialogs.answers = [False]
    assert not page.remove_sample()                        # "No": nothing changes
    assert len(app.store.get(uid).samples["dim_b"]) == 3
    assert page.remove_sample()
    assert "Budi" in app.dialogs.shown[-1]
    a = app.store.get(uid)
    assert a.samples["dim_b"] == ["Ani", "Citra"] and a.answers[("b1", 1)] == "kasar"
    assert page.tabs.count() == 3                          # two samples and "+"
    qtbot.keyClick(page.items, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    a = app.store.get(uid)
    assert a.samples["dim_b"] == ["Ani", "Budi", "Citra"] and a.answers[("b1", 1)] == "biasa"
    assert page.tabs.count() == 4


def test_not_interviewed_sample_leaves_the_average_and_says_so(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    for n, v in enumerate(("ramah", "kasar", "ramah")):
        page.session.set_answer("b1", n, v)
    page.show_page(("dim_b", 1), focus=True)
    app.dialogs.answers = ["cuti"]
    assert page.mark_sample_absent()
    a = app.store.get(uid)
    assert a.samples["dim_b"] == ["Ani", "Citra", "Budi"] and a.samples_absent == {"dim_b": ["cuti"]}
    assert "not interviewed" in page.tabs.tabText(2)
    assert page.items.page.key == ("dim_b", 2)             # still looking at Budi
    assert len(page.session.result.sections["dim_b"].per_sample) == 2
    assert page.session.result.sections["dim_b"].score == 100
    assert page.mark_sample_absent()                        # counts again
    assert app.store.get(uid).samples_absent == {}


def test_move_sample_right(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.session.set_answer("b1", 0, "kasar")
    page.show_page(("dim_b", 0), focus=True)
    assert page.move_sample(1)
    assert app.store.get(uid).samples["dim_b"] == ["Budi", "Ani", "Citra"]
    assert app.store.get(uid).answers[("b1", 1)] == "kasar"
    assert page.items.page.key == ("dim_b", 1)


def test_untouched_template_finding_follows_the_language(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.session.set_answer("a1", 0, "no")                 # English: the English finding
    f = app.store.get(uid).findings[0]
    assert f["text"] == "No notice board."
    item = page.session.template.items["a1"]
    assert finding_text(item, f, "id") == ("Papan informasi tidak ada.", "Pasang papan informasi.")
    set_language("id")
    page = app.window.open_assessment(uid)
    box = page.items.row_for(("a1", 0)).finding_box
    assert box.text.toPlainText() == "Papan informasi tidak ada."
    app.store.update_finding(uid, f["uuid"], text="Papan ada tetapi rusak.")
    f = app.store.get(uid).findings[0]
    assert finding_text(item, f, "en")[0] == "Papan ada tetapi rusak."   # edited: as written
    assert finding_text(item, f, "en")[1] == "Put up a notice board."


def test_default_sample_names_per_language(make_app):
    app = make_app()
    t = app.store.get_template("mini")
    spec = t.section_index["dim_b"].sample
    assert default_sample_label(spec, "Petugas 3", "en") == "Officer 3"
    assert default_sample_label(spec, "Officer 1", "id") == "Petugas 1"
    assert default_sample_label(spec, "Ani", "en") == "Ani"


def test_complete_warns_about_fewer_samples_and_findings_without_owner(make_app, qtbot):
    app = make_app()
    uid, page = _open(app, samples=("Ani", "Budi"))
    for item, value, s in [("a1", "no", 0), ("b1", "ramah", 0), ("b1", "biasa", 1)]:
        page.session.set_answer(item, s, value)
    from assessor_app.demo import demo_photo
    app.store.add_photo(uid, "a1", demo_photo("papan", 1))
    page.session._evidence_updated({("a1", 0)})
    page.show_page(("dim_b", 1), focus=True)
    app.dialogs.answers = ["tidak hadir"]
    assert page.mark_sample_absent()                       # 1 of the 2 published officers
    app.dialogs.answers = [None]                           # no reason given: not completed
    assert not page.complete()
    assert app.store.get(uid).status == "draft"
    assert "published sample size" in app.dialogs.shown[-1]
    app.dialogs.answers = ["Petugas kedua cuti", True]
    assert page.complete()
    question = app.dialogs.shown[-1]
    assert "no responsible person or no due date: 1.1" in question
    done = app.store.history(uid)[-1]
    assert done["action"] == "complete" and "Petugas kedua cuti" in done["new"]


def test_draft_score_is_provisional_without_grade_until_every_dimension(make_app, qtbot):
    app = make_app()
    uid, page = _open(app, samples=("Ani", "Budi"))
    page.session.set_answer("a1", 0, "yes")                # dimension A only
    h = page.header
    assert page.session.result.total is not None
    assert h.provisional.isVisibleTo(h)
    assert "no grade yet" in h.badge.text()
    assert "Dimension B" in h.badge.toolTip()
    assert "required 1 of 3" in h.progress_label.text()
    assert "optional 0 of 4" in h.progress_label.text()   # a2, a3, b2 twice (a4 hidden)
    assert app.store.list_assessments()[0]["grade"] is None
    app.window.home.reload()
    from ui.assessments_model import GRADE
    model = app.window.home.model
    assert model.data(model.index(0, GRADE)) == "provisional, no grade yet"
    page.session.set_answer("b1", 0, "ramah")              # now every dimension has a score
    assert "Dimension B" not in h.badge.toolTip()
    assert app.store.list_assessments()[0]["grade"] is not None
    app.window.home.reload()
    assert model.data(model.index(0, GRADE)).endswith("(provisional)")


def test_why_this_score_names_samples_and_fits_the_pane(make_app, qtbot):
    app = make_app()
    uid, page = _open(app, samples=("Ani", "Budi"))
    for item, s, value in (("a1", 0, "yes"), ("b1", 0, "ramah"), ("b1", 1, "kasar")):
        page.session.set_answer(item, s, value)
    page.header.breakdown.setChecked(True)
    html = page.side.breakdown.toPlainText()
    assert "Officer 2: Budi" in html and "#2" not in html
    assert "score " in html and "× share" in html
    assert "<table" not in page.side.breakdown.toHtml().split("<body")[1]


def test_signature_stays_visible_in_the_pad_after_saving(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    dialog = page.open_signatures()
    box = dialog.inspector
    box.pad.add_stroke([(10, 10), (120, 90), (200, 40)])
    assert box.save()
    assert box.pad.is_empty() and box.pad.background is not None and not box.pad.background.isNull()
    assert "Signed by Rina" in box.state.text()
    # the state line sits under the pad, not over it
    assert box.state.geometry().top() >= box.pad.geometry().bottom() or not box.isVisible()
    dialog.close()
    again = page.open_signatures()
    assert again.inspector.pad.background is not None      # shown when the window opens again
