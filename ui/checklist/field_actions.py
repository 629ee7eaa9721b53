"""The checklist page's field actions (issue 12), kept apart from the page's layout: editing
the details, the sample menu (add, rename, move, not interviewed, remove), the filters and key map,
the finding box by keyboard, and the warnings at Complete. Mixed into :class:`ChecklistPage`."""

from __future__ import annotations

from ..i18n import _
from .navigator import sample_title


class FieldActions:
    # ------------------------------------------------------------------ details
    def needs_visit_date(self) -> bool:
        """An assignment's draft (made by sync, without a visit date) asks for it when opened."""
        a = self.session.assessment
        if not self.session.editable or a.visit_dates:
            return False
        return any(x.get("id") == self.uuid for x in self.ctx.store.list_assignments())

    def edit_details(self, ask_visit: bool = False):
        from ..details_dialog import DetailsDialog
        self.dialog = DetailsDialog(self.ctx, self.uuid, self, ask_visit=ask_visit)
        self.dialog.accepted.connect(self._details_saved)
        self.dialog.open()
        return self.dialog

    def _details_saved(self) -> None:
        self.session.assessment = self.ctx.store.get(self.uuid)
        self.assessment = self.session.assessment
        self.header.refresh_titles()
        self.ctx.data_changed.emit()

    def add_sample(self, label: str | None = None) -> bool:
        group = self.items.page.group
        lang = self.session.lang
        word = group.sample.label.get(lang)
        labels = self.session.sample_labels(group.id)
        label = label or self.ctx.dialogs.ask_text(self, _("Add a sample"), _("Name of the new {what}")
                                                   .format(what=word.lower()),
                                                   f"{word} {len(labels) + 1}")
        if not label:
            self._update_tabs(self.items.page)
            return False
        section_id = self.items.page.section.id
        landing = len(labels) - len(self.session.assessment.samples_absent.get(group.id, []))
        if self.session.set_samples(group.id, labels + [label]):
            self.show_page((section_id, landing), focus=True)
            return True
        return False

    def rename_sample(self, index: int) -> None:
        page = self.items.page
        if page is None or page.group is None or not self.session.editable:
            return
        labels = self.session.sample_labels(page.group.id)
        if not 0 <= index < len(labels):
            return
        label = self.ctx.dialogs.ask_text(self, _("Rename the sample"), _("New name"), labels[index])
        if label:
            labels[index] = label
            self.session.set_samples(page.group.id, labels)

    def _samples_changed(self, target=None) -> None:
        self._sample_target = None
        self.navigator.rebuild()
        key = target or (self.items.page.key if self.items.page else None)
        self.items.page = None
        if key:
            pages = self.session.pages()
            if not any(p.key == key for p in pages):          # that sample went: the nearest
                same = [p.key for p in pages if p.key[0] == key[0]]
                key = min(same, key=lambda k: abs(k[1] - key[1])) if same else pages[0].key
            self.show_page(key, focus=True)

    # ------------------------------------------------------------------ sample actions
    def _sample_page(self):
        page = self.items.page
        return page if page is not None and page.group is not None else None

    def remove_sample(self) -> bool:
        """Remove the sample shown (asks first; Ctrl+Z brings it back with its answers)."""
        page = self._sample_page()
        if page is None or not self.session.editable:
            return False
        label = self.session.sample_labels(page.group.id)[page.sample]
        question = _("Remove {sample} and its answers, notes, findings and photos from this "
                     "assessment? Ctrl+Z brings it back.").format(
            sample=sample_title(page.group, self.session.lang, page.sample, label))
        if not self.ctx.dialogs.confirm(self, question, _("Remove sample")):
            return False
        self._sample_target = page.key
        return self.session.remove_sample(page.group.id, page.sample)

    def move_sample(self, step: int) -> bool:
        page = self._sample_page()
        if page is None or not self.session.editable:
            return False
        section_id, group_id = page.section.id, page.group.id
        self._sample_target = (section_id, max(0, page.sample + step))
        landed = self.session.move_sample(group_id, page.sample, page.sample + step)
        if landed is not None and landed != page.sample + step:
            self._samples_changed((section_id, landed))
        return landed is not None

    def mark_sample_absent(self) -> bool:
        """Mark the sample shown "not interviewed / not available" (asks why), or count it again."""
        page = self._sample_page()
        if page is None or not self.session.editable:
            return False
        group_id, section_id = page.group.id, page.section.id
        if self.session.absent_reason(group_id, page.sample) is not None:
            reason = None
        else:
            reason = self.ctx.dialogs.ask_text(
                self, _("Not interviewed / not available"),
                _("Why was this sample not interviewed or not available? It leaves the averages; "
                  "the report says so."))
            if not reason:
                return False
        index = page.sample
        labels = self.session.sample_labels(group_id)
        reasons = self.session.assessment.samples_absent.get(group_id, [])
        # where it lands: at the end when marked, at the end of the counted ones when unmarked
        self._sample_target = (section_id, len(labels) - 1 if reason else
                               len(labels) - len(reasons))
        return self.session.set_sample_absent(group_id, index, reason) is not None

    def set_filter(self, name: str) -> None:
        """Show only the unanswered / required missing / failed / noted items of each page."""
        self.items.apply_filter(name)
        if self.items.current is None:
            rows = self.items.visible_rows()
            self.set_current_row(rows[0] if rows else None)

    def open_finding(self, row) -> bool:
        """F: open this item's finding box (also for an item that did not fail) and type in it."""
        if row is None or not self.session.editable:
            return False
        if row.finding_box is None:
            row.refresh_finding()
        if row.finding_box is None:
            from .item_row import FindingBox
            row.finding_box = FindingBox(self.session, row.key, row)
            fb = row.finding_box
            row.leave_keys.watch(fb.text, fb.action, fb.responsible, fb.due.edit, fb.status)
            row.body.addWidget(fb)
        row.finding_box.setVisible(True)
        row.finding_box.refresh()
        row.finding_box.text.setFocus()
        self.items.ensureWidgetVisible(row.finding_box, 0, 40)
        return True

    def show_keys(self):
        from ..keymap import KeyMapDialog
        self.dialog = KeyMapDialog(self)
        self.dialog.open()
        return self.dialog

    def go_to_section_box(self) -> None:
        """Ctrl+G: type a section number or words of its title in the box, Enter goes there."""
        self.navigator.go_box.setFocus()
        self.navigator.go_box.selectAll()

    def findings_without_owner(self) -> list[str]:
        """Items whose finding lacks a responsible person or a due date (warned at Complete)."""
        out = []
        for f in self.session.assessment.findings:
            if not (f.get("responsible") or "").strip() or not f.get("due_date"):
                key = (f["item_id"], f["sample"] or 0)
                label = self.session.item_label(key) if f["item_id"] in \
                    self.session.template.items else "–"
                if label not in out:
                    out.append(label)
        return out
