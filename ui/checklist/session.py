"""One open assessment: its answers, relevance, evidence, findings and live score, and every
write the checklist makes (each committed by the store before the method returns).

Relevance is recomputed after each answer with the core's ``scoring.relevance`` (cheap); the
full score runs in the background, debounced, with the one engine (``scoring.score``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from assessor_app.answers import validate_answer
from assessor_app.i18n import language
from assessor_app.scoring import (
    AnswerSheet, is_answered, item_ratio, relevance, relevance_update, score,
)
from assessor_app.templates.model import Item, Section

from ..context import FAILED, Context

Key = tuple[str, int]
SCORE_DELAY_MS = 120


@dataclass(frozen=True)
class Page:
    """The items of one section (and one sample, inside a sample group) shown together."""

    section: Section
    sample: int
    items: tuple[Item, ...]
    group: Section | None

    @property
    def key(self) -> tuple[str, int]:
        return (self.section.id, self.sample)


class ChecklistSession(QObject):
    answer_changed = Signal(str, int)
    relevance_changed = Signal(object)     # set of keys whose relevance flipped
    note_changed = Signal(str, int)
    evidence_changed = Signal(object)      # set of keys
    findings_changed = Signal(str, int)
    scored = Signal(object)                # ScoreResult
    status_changed = Signal(str)
    samples_changed = Signal(str)

    def __init__(self, ctx: Context, uuid: str, parent=None):
        super().__init__(parent)
        self.ctx, self.store, self.uuid = ctx, ctx.store, uuid
        self.widget = None                 # parent for messages, set by the page
        self.filtered_out: set = set()     # keys hidden by the checklist's filter (items_view)
        a = self.store.get(uuid)
        self.template = self.store.template_of(a)
        self._load(a)
        self.result = None
        #: (kind, key, what to restore): answer, note, photo+, photo-, caption, finding, finding+
        self.undo_stack: list[tuple[str, Key, Any]] = []
        self._score_timer = QTimer(self)
        self._score_timer.setSingleShot(True)
        self._score_timer.setInterval(SCORE_DELAY_MS)
        self._score_timer.timeout.connect(self.score_now)
        self._score_generation = 0

    def _load(self, a) -> None:
        self.assessment = a
        self.answers: dict[Key, Any] = dict(a.answers)
        self.notes: dict[Key, str] = dict(a.item_notes)
        #: answers of the previous visit, offered (not set) when started from it (issue 11)
        self.suggestions: dict[Key, Any] = self.store.suggestions(a.uuid)
        self._index_attachments(a)
        self.relevant = relevance(self.template, self.sheet())

    def _index_attachments(self, a) -> None:
        self.evidence: dict[Key, list[dict]] = {}
        for ev in a.evidence:
            self.evidence.setdefault((ev["item_id"], ev["sample"]), []).append(ev)
        self.findings: dict[Key, list[dict]] = {}
        for f in a.findings:
            self.findings.setdefault((f["item_id"], f["sample"] or 0), []).append(f)

    # ------------------------------------------------------------------ reading
    @property
    def editable(self) -> bool:
        return self.assessment.editable

    @property
    def lang(self) -> str:
        return language()

    def sheet(self, copy: bool = True) -> AnswerSheet:
        """The answers as the engine reads them; a copy (for the background score) unless
        ``copy`` is False (a read on this thread, finished before the next answer)."""
        return AnswerSheet(answers=dict(self.answers) if copy else self.answers,
                           samples={g: len(v) for g, v in self.assessment.samples.items()},
                           evidence={k: len(v) for k, v in self.evidence.items()})

    def sample_labels(self, group_id: str) -> list[str]:
        return list(self.assessment.samples.get(group_id, []))

    def absent_reason(self, group_id: str, sample: int) -> str | None:
        """Why sample ``sample`` of the group was not interviewed (None: it counts)."""
        labels = self.assessment.samples.get(group_id, [])
        reasons = self.assessment.samples_absent.get(group_id, [])
        first = len(labels) - len(reasons)
        return reasons[sample - first] if first <= sample < len(labels) else None

    def is_absent(self, key: Key) -> bool:
        group = self.template.items[key[0]].sample_group
        return group is not None and self.absent_reason(group, key[1]) is not None

    def scoring_sheet(self) -> AnswerSheet:
        """What the engine scores: the samples not available are not counted."""
        return AnswerSheet(answers=dict(self.answers), samples=self.assessment.counted_samples(),
                           evidence={k: len(v) for k, v in self.evidence.items()})

    def is_relevant(self, key: Key) -> bool:
        return self.relevant.get(key, True)

    #: the checklist's filters: name -> which items they keep
    FILTERS = ("all", "unanswered", "required_missing", "failed", "with_notes")

    def matches(self, key: Key, name: str) -> bool:
        """Does ``key`` pass the filter ``name`` (one of :attr:`FILTERS`)?"""
        if name == "unanswered":
            return not self.is_answered(key)
        if name == "required_missing":
            return self.template.items[key[0]].required and not self.is_answered(key)
        if name == "failed":
            return self.failed(key)
        if name == "with_notes":
            return bool(self.notes.get(key)) or bool(self.findings.get(key))
        return True

    def shown(self, key: Key) -> bool:
        """Shown in the checklist: relevant, and not left out by the filter in force."""
        return self.is_relevant(key) and key not in self.filtered_out

    def is_answered(self, key: Key) -> bool:
        item = self.template.items[key[0]]
        if item.type == "photo":
            return bool(self.evidence.get(key))
        return is_answered(self.answers.get(key))

    def progress(self) -> tuple[int, int, int, int]:
        """``(required answered, required, optional answered, optional)`` over the relevant
        items of the samples that count (signatures left out)."""
        rd = rt = od = ot = 0
        for key in self.ordered_keys():
            item = self.template.items[key[0]]
            if item.type == "signature" or not self.is_relevant(key) or self.is_absent(key):
                continue
            done = self.is_answered(key)
            if item.required:
                rt, rd = rt + 1, rd + done
            else:
                ot, od = ot + 1, od + done
        return rd, rt, od, ot

    def failed(self, key: Key) -> bool:
        ratio = item_ratio(self.template.items[key[0]], self.answers.get(key))
        return self.is_relevant(key) and ratio is not None and ratio < 1

    def pages(self) -> list[Page]:
        out: list[Page] = []

        def walk(section: Section, group: Section | None, sample: int) -> None:
            if section.items:
                out.append(Page(section, sample, section.items, group))
            for sub in section.sections:
                if sub.sample is not None:
                    for s in range(len(self.sample_labels(sub.id))):
                        walk(sub, sub, s)
                else:
                    walk(sub, group, sample)

        for top in self.template.sections:
            if top.sample is not None:
                for s in range(len(self.sample_labels(top.id))):
                    walk(top, top, s)
            else:
                walk(top, None, 0)
        return out

    def ordered_keys(self) -> list[Key]:
        return [(i.id, p.sample) for p in self.pages() for i in p.items]

    def page_of(self, key: Key) -> Page | None:
        item = self.template.items.get(key[0])
        for p in self.pages():
            if p.section.id == (item.section_id if item else None) and p.sample == key[1]:
                return p
        return None

    def next_unanswered(self, after: Key | None) -> Key | None:
        keys = [k for k in self.ordered_keys() if self.is_relevant(k) and not self.is_absent(k)
                and self.template.items[k[0]].type != "signature" and not self.is_answered(k)]
        if not keys:
            return None
        order = self.ordered_keys()
        start = order.index(after) if after in order else -1
        later = [k for k in keys if order.index(k) > start]
        return (later or keys)[0]

    def find(self, text: str) -> list[Key]:
        """Items matching ``text``: an item number first ("2.1" finds 2.1 itself, then 2.1.x,
        never 1.2.1), then items whose text, guidance, legal reference, note or finding holds
        every word."""
        words = text.lower().split()
        if not words:
            return []
        lang = self.lang
        keys = [k for k in self.ordered_keys() if self.is_relevant(k)]
        query = text.strip().rstrip(".")
        exact = [k for k in keys if self.template.items[k[0]].number == query]
        under = [k for k in keys if self.template.items[k[0]].number.startswith(query + ".")]
        numbered = exact + under
        found = [k for k in keys if k not in numbered and all(
            w in self._haystack(k, lang) for w in words)]
        return numbered + found

    def _haystack(self, key: Key, lang: str) -> str:
        item = self.template.items[key[0]]
        parts = [item.text.get(lang), item.legal or "", self.notes.get(key, "")]
        if item.guidance is not None:
            parts.append(item.guidance.get(lang))
        for f in self.findings.get(key, []):
            parts += [f.get("text") or "", f.get("action") or ""]
        return " ".join(parts).lower()

    # ------------------------------------------------------------------ answers
    def validate(self, item: Item, value: Any) -> str | None:
        """The problem with ``value`` for ``item`` (None when it is acceptable)."""
        try:
            validate_answer(item, value)
        except Exception as exc:  # noqa: BLE001 - AnswerInvalid carries the message
            return str(exc)
        return None

    def set_answer(self, item_id: str, sample: int, value: Any, *, record: bool = True) -> bool:
        key = (item_id, sample)
        old = self.answers.get(key)
        if value == old or (value in ("", []) and old is None):
            return True
        stored = self.ctx.write(self.widget, self.store.set_answer, self.uuid, item_id,
                                None if value in ("", []) else value, sample)
        if stored is FAILED:
            return False
        if value in ("", [], None):
            self.answers.pop(key, None)
        else:
            self.answers[key] = validate_answer(self.template.items[item_id], value)
        if record:
            self.undo_stack.append(("answer", key, old))
        self._after_answer(key)
        return True

    def _after_answer(self, key: Key) -> None:
        # only the conditions that read this item (directly or through others) are evaluated
        # again: a keypress costs the same on a 20-item and a 1,000-item assessment
        flipped = relevance_update(self.template, self.sheet(copy=False), self.relevant, [key[0]])
        self.answer_changed.emit(*key)
        if flipped:
            self.relevance_changed.emit(flipped)
        self._sync_finding(key)
        self.schedule_score()

    def _sync_finding(self, key: Key) -> None:
        """A failing answer gets the template's finding and corrective action, prefilled; when it
        stops failing, an untouched prefilled finding goes away again (an edited one stays)."""
        existing = self.findings.get(key, [])
        item = self.template.items[key[0]]
        if self.failed(key) and not existing and item.finding is not None:
            defaults = self.store.finding_defaults(self.uuid, key[0], self.lang)
            self.add_finding(key, defaults["text"], defaults["action"])
        elif not self.failed(key) and existing:
            defaults = {lang: (item.finding.get(lang) if item.finding else "",
                               item.action.get(lang) if item.action else "") for lang in ("id", "en")}
            untouched = [f for f in existing if (f["text"], f["action"]) in defaults.values()
                         and not f["responsible"]]
            for f in untouched:
                self.ctx.write(self.widget, self.store.remove_finding, self.uuid, f["uuid"])
            if untouched:
                self._reload_attachments()
                self.findings_changed.emit(*key)

    def undo(self) -> tuple[str, Key] | None:
        """Undo the last change made in the checklist: an answer, a note, a photo added or
        removed, a caption, a finding's fields. The undo is a new change in the history (the
        history is never rewritten). Returns ``(kind, key)`` of what was undone, or None."""
        while self.undo_stack:
            kind, key, old = self.undo_stack.pop()
            if self._undo_one(kind, key, old):
                return kind, key
        return None

    def _undo_one(self, kind: str, key: Key, old: Any) -> bool:
        if kind == "answer":
            return self.set_answer(key[0], key[1], old, record=False)
        if kind == "note":
            return self.set_note(key[0], key[1], old or "", record=False)
        if kind == "photo+":            # old: [(link_id, sha256), ...] added in one go
            links = [ev for link_id, sha in old if (ev := self._photo(key, link_id, sha))]
            done = [self.remove_photo(key, ev["id"], record=False) for ev in links]
            return any(done)
        if kind == "photo-":            # old: the removed link's sha256 and caption
            return self.attach_existing(key, old["sha256"], old["caption"])
        if kind == "caption":
            ev = self._photo(key, old["id"], old["sha256"])
            return ev is not None and self.set_caption(key, ev["id"], old["caption"], record=False)
        if kind == "finding":
            fid, fields = old
            if not any(f["uuid"] == fid for f in self.findings.get(key, [])):
                return False            # gone since (a passing answer removed it)
            ok = self.update_finding(key, fid, record=False, **fields)
            if ok:
                self.findings_changed.emit(*key)
            return ok
        if kind == "sample-":
            if self.ctx.write(self.widget, self.store.restore_sample, self.uuid, old) is FAILED:
                return False
            self._samples_reloaded(old["group"])
            return True
        if kind == "finding+":
            if not any(f["uuid"] == old for f in self.findings.get(key, [])):
                return False
            if self.ctx.write(self.widget, self.store.remove_finding, self.uuid, old) is FAILED:
                return False
            self._reload_attachments()
            self.findings_changed.emit(*key)
            return True
        return False

    def _photo(self, key: Key, link_id: int, sha256: str) -> dict | None:
        """The photo of ``key`` with that link (or, the link being gone, with that file)."""
        photos = self.evidence.get(key, [])
        return (next((ev for ev in photos if ev["id"] == link_id and ev["sha256"] == sha256), None)
                or next((ev for ev in photos if ev["sha256"] == sha256), None))

    def item_label(self, key: Key) -> str:
        """The item's number, with its sample when it has one: ``2.1.3 (Produk 2)``."""
        item = self.template.items[key[0]]
        if item.sample_group is None:
            return item.number
        labels = self.sample_labels(item.sample_group)
        label = labels[key[1]] if 0 <= key[1] < len(labels) else str(key[1] + 1)
        return f"{item.number} ({label})"

    def set_note(self, item_id: str, sample: int, text: str, *, record: bool = True) -> bool:
        key = (item_id, sample)
        old = self.notes.get(key, "")
        if text == old:
            return True
        if self.ctx.write(self.widget, self.store.set_note, self.uuid, item_id, text,
                          sample) is FAILED:
            return False
        self.notes[key] = text
        if record:
            self.undo_stack.append(("note", key, old))
        self.note_changed.emit(*key)
        return True

    # ------------------------------------------------------------------ findings
    def add_finding(self, key: Key, text: str, action: str = "", responsible: str = "",
                    *, record: bool = False, **more) -> bool:
        """Add a finding to ``key`` (``record``: a person wrote it, so Ctrl+Z removes it again;
        the prefilled finding of a failing answer follows the answer instead)."""
        made = self.ctx.write(self.widget, self.store.add_finding, self.uuid, key[0],
                              sample=key[1], text=text, action=action, responsible=responsible,
                              **more)
        if made is FAILED:
            return False
        if record:
            self.undo_stack.append(("finding+", key, made[0]))
        self._reload_attachments()
        self.findings_changed.emit(*key)
        return True

    def update_finding(self, key: Key, finding_id: str, *, record: bool = True, **fields) -> bool:
        """Change some fields of a finding; ``record`` keeps their old values for Ctrl+Z."""
        current = next((f for f in self.findings.get(key, []) if f["uuid"] == finding_id), None)
        fields = {k: v for k, v in fields.items() if current is None or (current.get(k) or "") != v}
        if not fields:
            return True
        ok = self.ctx.write(self.widget, self.store.update_finding, self.uuid, finding_id,
                            **fields) is not FAILED
        if ok:
            if record and current is not None:
                self.undo_stack.append(("finding", key, (finding_id,
                                                         {k: current.get(k) or "" for k in fields})))
            if current is not None:
                current.update(fields)
        return ok

    def _reload_attachments(self) -> None:
        a = self.store.get(self.uuid)
        self.assessment = a
        self._index_attachments(a)

    # ------------------------------------------------------------------ evidence
    def add_photos(self, key: Key, sources: list, on_done=None) -> None:
        """Import photos (paths or bytes) in the background; each is committed as it lands.
        Ctrl+Z afterwards removes the photos of this import (those that landed)."""
        if not sources:
            return
        uuid, ctx = self.uuid, self.ctx
        added: list[tuple[int, str]] = []

        def work():
            store = ctx.worker_store()
            try:
                for src in sources:
                    name = "clipboard.png" if isinstance(src, (bytes, bytearray)) else None
                    link, info = store.add_photo(uuid, key[0], bytes(src) if name else src,
                                                 sample=key[1], original_name=name)
                    added.append((link, info.sha256))
                return len(sources)
            finally:
                store.close()

        def record():
            if added:
                self.undo_stack.append(("photo+", key, list(added)))

        def done(count):
            record()
            self._evidence_updated({key})
            if on_done:
                on_done(count)

        def failed(exc):
            record()
            self._evidence_updated({key})
            self.ctx.dialogs.show_exception(self.widget, exc)

        self.ctx.runner.run(work, done, failed, label=self._importing_label())

    def _importing_label(self) -> str:
        from ..i18n import _
        return _("Importing photos…")

    def _evidence_updated(self, keys: set) -> None:
        self._reload_attachments()
        self.ctx.mark_saved()
        self.evidence_changed.emit(keys)
        self.schedule_score()

    def remove_photo(self, key: Key, link_id: int, *, record: bool = True) -> bool:
        ev = next((e for e in self.evidence.get(key, []) if e["id"] == link_id), None)
        if self.ctx.write(self.widget, self.store.remove_photo, self.uuid, link_id) is FAILED:
            return False
        if record and ev is not None:
            self.undo_stack.append(("photo-", key, {"sha256": ev["sha256"],
                                                    "caption": ev.get("caption") or ""}))
        self._evidence_updated({key})
        return True

    def attach_existing(self, key: Key, sha256: str, caption: str = "") -> bool:
        """Attach a photo already in the evidence folder again (the undo of a removal)."""
        if self.ctx.write(self.widget, self.store.attach_existing, self.uuid, key[0], sha256,
                          key[1], caption) is FAILED:
            return False
        self._evidence_updated({key})
        return True

    def set_caption(self, key: Key, link_id: int, caption: str, *, record: bool = True) -> bool:
        ev = next((e for e in self.evidence.get(key, []) if e["id"] == link_id), None)
        old = (ev or {}).get("caption") or ""
        if ev is not None and old == caption:
            return True
        if self.ctx.write(self.widget, self.store.set_caption, self.uuid, link_id, caption) is FAILED:
            return False
        if ev is not None:
            ev["caption"] = caption
            if record:
                self.undo_stack.append(("caption", key, {"id": link_id, "sha256": ev["sha256"],
                                                         "caption": old}))
            else:
                self.evidence_changed.emit({key})      # an undo: refresh the tooltips
        return True

    def evidence_path(self, sha256: str):
        from assessor_app.evidence.files import evidence_path
        return evidence_path(self.store.evidence_dir, sha256)

    # ------------------------------------------------------------------ samples, signing, status
    def set_samples(self, group_id: str, labels: list[str]) -> bool:
        if self.ctx.write(self.widget, self.store.set_samples, self.uuid, group_id,
                          labels) is FAILED:
            return False
        self._load(self.store.get(self.uuid))
        self.samples_changed.emit(group_id)
        self.schedule_score()
        return True

    def remove_sample(self, group_id: str, index: int) -> bool:
        """Remove a sample with its answers (Ctrl+Z puts it back, answers and all)."""
        removed = self.ctx.write(self.widget, self.store.remove_sample, self.uuid, group_id, index)
        if removed is FAILED:
            return False
        self.undo_stack.append(("sample-", (self._first_item(group_id), index), removed))
        self._samples_reloaded(group_id)
        return True

    def move_sample(self, group_id: str, index: int, to: int) -> int | None:
        landed = self.ctx.write(self.widget, self.store.move_sample, self.uuid, group_id, index, to)
        if landed is FAILED:
            return None
        self._samples_reloaded(group_id)
        return landed

    def set_sample_absent(self, group_id: str, index: int, reason: str | None) -> int | None:
        landed = self.ctx.write(self.widget, self.store.set_sample_absent, self.uuid, group_id,
                                index, reason)
        if landed is FAILED:
            return None
        self._samples_reloaded(group_id)
        return landed

    def _first_item(self, group_id: str) -> str:
        return next(iter(self.template.section_index[group_id].walk_items())).id

    def _samples_reloaded(self, group_id: str) -> None:
        self._load(self.store.get(self.uuid))
        self.samples_changed.emit(group_id)
        self.schedule_score()

    def sign(self, role: str, name: str, title: str, png: bytes) -> bool:
        if self.ctx.write(self.widget, self.store.sign, self.uuid, role, name=name, png=png,
                          title=title) is FAILED:
            return False
        self._reload_attachments()
        return True

    def signatures(self) -> dict[str, dict]:
        return {s["role"]: s for s in self.assessment.signatures}

    def complete(self, reason: str = "") -> bool:
        """Complete; ``reason`` (fewer samples than published, say) goes into the history."""
        return self._status(self.store.set_status, "completed", reason=reason)

    def reopen(self, reason: str) -> bool:
        return self._status(self.store.set_status, "draft", reason=reason)

    def _status(self, fn, *args, **kwargs) -> bool:
        if self.ctx.write(self.widget, fn, self.uuid, *args, **kwargs) is FAILED:
            return False
        self._load(self.store.get(self.uuid))
        self.ctx.data_changed.emit()
        self.status_changed.emit(self.assessment.status)
        return True

    # ------------------------------------------------------------------ scoring
    def schedule_score(self) -> None:
        if self.ctx.runner.inline:     # tests: no timers, the score is there at once
            self.score_now()
        else:
            self._score_timer.start()

    def score_now(self) -> None:
        """Score in the background with the one engine; the newest request wins."""
        self._score_timer.stop()
        self._score_generation += 1
        generation, template, sheet = self._score_generation, self.template, self.scoring_sheet()

        def done(result):
            if generation == self._score_generation:
                self.result = result
                self.scored.emit(result)

        self.ctx.runner.run(lambda: score(template, sheet), done,
                            lambda e: self.ctx.dialogs.show_exception(self.widget, e))

    def flush(self) -> None:
        if self._score_timer.isActive():
            self.score_now()
