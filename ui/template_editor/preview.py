"""The preview pane: one section of the checklist as the inspector sees it (the same answer
controls), and "try it": answers given here are scored by the one scoring engine, with the total,
the band and the explanation updated at once. Nothing is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout,
    QWidget,
)

from assessor_app.answers import validate_answer
from assessor_app.i18n import language
from assessor_app.scoring import AnswerSheet, score
from assessor_app.templates.model import Section, Template

from ..checklist.answer_controls import make_control
from ..i18n import _, format_number
from ..widgets.chips import ZoneBadge


def _validate(item, value):
    try:
        validate_answer(item, value)
    except Exception as exc:  # noqa: BLE001 - AnswerInvalid carries the message
        return str(exc)
    return None


PAGE = 30   # item rows drawn at once; "Show more" draws the next ones


class PreviewPane(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.limit = PAGE
        self.template: Template | None = None
        self.answers: dict[tuple[str, int], object] = {}
        self.controls = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        head = QHBoxLayout()
        title = QLabel(_("Preview: try it"))
        title.setObjectName("sectionTitle")
        head.addWidget(title)
        head.addStretch(1)
        self.total = QLabel("–")
        self.total.setObjectName("bigScore")
        self.total.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.badge = ZoneBadge()
        head.addWidget(self.total)
        head.addWidget(self.badge)
        lay.addLayout(head)
        row = QHBoxLayout()
        self.section_box = QComboBox()
        self.section_box.currentIndexChanged.connect(lambda _i: self._render(reset=True))
        clear = QPushButton(_("Clear answers"))
        clear.clicked.connect(self.clear_answers)
        row.addWidget(self.section_box, 1)
        row.addWidget(clear)
        lay.addLayout(row)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("muted")
        self.notice.hide()
        lay.addWidget(self.notice)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        lay.addWidget(self.scroll, 3)
        self.explain = QPlainTextEdit()
        self.explain.setReadOnly(True)
        self.explain.setMaximumHeight(150)
        lay.addWidget(self.explain, 1)

    # ------------------------------------------------------------------ public
    def set_template(self, template: Template | None, stale: bool = False) -> None:
        """Show ``template`` (the last valid one); ``stale`` says the edits since do not validate."""
        self.notice.setVisible(stale)
        self.notice.setText(_("The template has problems; the preview shows the last valid "
                              "state. Fix the fields marked in red."))
        if template is None:
            return
        same_shape = (self.template is not None and
                      [s.id for s in self.template.sections] == [s.id for s in template.sections])
        keep = self.section_box.currentIndex() if same_shape else 0
        self.template = template
        self.answers = {k: v for k, v in self.answers.items() if k[0] in template.items}
        self.section_box.blockSignals(True)
        self.section_box.clear()
        lang = language()
        for sec in template.sections:
            self.section_box.addItem(f"{sec.number}. {sec.title.get(lang)}", sec.id)
        self.section_box.setCurrentIndex(max(0, min(keep, len(template.sections) - 1)))
        self.section_box.blockSignals(False)
        self._render()
        self.rescore()

    def answer(self, item_id: str, value, sample: int = 0) -> None:
        """Answer an item as the inspector would (also used by tests)."""
        key = (item_id, sample)
        if value is None:
            self.answers.pop(key, None)
        else:
            self.answers[key] = value
        control = self.controls.get(item_id)
        if control is not None:
            control.set_value(value)
        self.rescore()

    def clear_answers(self) -> None:
        self.answers.clear()
        self._render()
        self.rescore()

    def rescore(self) -> None:
        if self.template is None:
            return
        lang = language()
        answers = {}
        for key, value in self.answers.items():
            item = self.template.items.get(key[0])
            if item is not None and _validate(item, value) is None:
                answers[key] = value
        result = score(self.template, AnswerSheet(answers=answers))
        self.result = result
        self.total.setText(format_number(result.total) if result.total is not None else "–")
        self.badge.set_band(result.band, lang, empty=_("no score yet"))
        self.explain.setPlainText(result.explain(lang, top=5))

    # ------------------------------------------------------------------ rendering
    def _render(self, reset: bool = False) -> None:
        if reset:
            self.limit = PAGE
        self.controls = {}
        self.drawn = 0
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(6)
        if self.template is not None and self.template.sections:
            sid = self.section_box.currentData()
            section = self.template.section_index.get(sid) or self.template.sections[0]
            self._section(lay, section)
            total = sum(1 for _i in section.walk_items())
            if total > self.drawn:
                more = QPushButton(_("Show {count} more items").format(
                    count=min(PAGE, total - self.drawn)))
                more.clicked.connect(self.show_more)
                lay.addWidget(more)
        lay.addStretch(1)
        self.scroll.setWidget(page)

    def show_more(self) -> None:
        self.limit += PAGE
        self._render()

    def _section(self, lay: QVBoxLayout, section: Section) -> None:
        lang = language()
        head = QLabel(f"{section.number} {section.title.get(lang)}")
        head.setStyleSheet("font-weight: bold;")
        lay.addWidget(head)
        if section.sample:
            tab = QLabel(_("{label} 1 of {count}").format(
                label=section.sample.label.get(lang), count=section.sample.default))
            tab.setObjectName("muted")
            lay.addWidget(tab)
        for sub in section.sections:
            if self.drawn >= self.limit:
                return
            self._section(lay, sub)
        for item in section.items:
            if self.drawn >= self.limit:
                return
            lay.addWidget(self._item_row(item, lang))
            self.drawn += 1

    def _item_row(self, item, lang: str) -> QFrame:
        frame = QFrame()
        frame.setObjectName("itemRow")
        col = QVBoxLayout(frame)
        col.setContentsMargins(4, 4, 4, 4)
        col.setSpacing(2)
        text = QLabel(f"{item.number}  {item.text.get(lang)}" + ("  *" if item.required else ""))
        text.setWordWrap(True)
        col.addWidget(text)
        if item.legal:
            legal = QLabel(item.legal)
            legal.setObjectName("muted")
            legal.setStyleSheet("color: #5F6670; font-size: 8pt;")
            col.addWidget(legal)
        if item.relevant:
            cond = QLabel(_("shown when: {condition}").format(condition=item.relevant))
            cond.setStyleSheet("color: #5F6670; font-size: 8pt;")
            col.addWidget(cond)
        control = make_control(item, lang, _validate)
        if control is not None:
            control.set_value(self.answers.get((item.id, 0)))
            control.chosen.connect(lambda value, i=item.id: self.answer(i, value))
            col.addWidget(control)
            self.controls[item.id] = control
        else:
            note = QLabel(_("({type}: captured on the checklist)").format(type=item.type))
            note.setObjectName("muted")
            col.addWidget(note)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setSizePolicy(frame.sizePolicy().horizontalPolicy(), frame.sizePolicy().verticalPolicy())
        text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        return frame
