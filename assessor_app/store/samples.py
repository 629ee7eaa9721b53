"""Sampled subjects of an assessment (service products, staff, service users): removing one
(undoable), reordering, and marking one "not interviewed / not available" with a reason.

A sample is addressed by its position in its group. Samples marked not available always sit at
the end of their group, so the scoring input simply counts the samples before them
(:meth:`Assessment.sheet`): they leave the averages and the completeness check, and the engine
(:mod:`assessor_app.scoring`) needs no notion of them. ``samples_absent`` maps a group id to the
reasons of its trailing absent samples, in order: ``{"users": ["refused", "left early"]}``.
"""

from __future__ import annotations

from ..errors import UserError
from ..i18n import _, language
from .base import dumps

_TABLES = ("answers", "findings", "evidence_links")


class SamplesMixin:
    # ------------------------------------------------------------------ internals
    def _group(self, a, group_id: str):
        template = self.template_of(a)
        section = template.section_index.get(group_id)
        if section is None or section.sample is None:
            raise UserError(_("template {template} has no sample group {group}").format(
                template=template.id, group=repr(group_id)))
        return template, section

    def _sample_at(self, uuid: str, group_id: str, index: int):
        """``(assessment, section, labels, absent reasons, first absent position)`` for sample
        ``index`` of ``group_id``; a clear error when the group has no such sample."""
        a = self.get(uuid)
        _template, section = self._group(a, group_id)
        labels = list(a.samples.get(group_id, []))
        reasons = list(a.samples_absent.get(group_id, []))
        if not 0 <= index < len(labels):
            raise UserError(_("{group} has no sample {number}").format(
                group=section.title.get(language()), number=index + 1))
        return a, section, labels, reasons, len(labels) - len(reasons)

    def _group_items(self, section) -> list[str]:
        return [i.id for i in section.walk_items()]

    def _permute(self, c, uuid: str, items: list[str], order: list[int]) -> None:
        """Move the rows of the group's items so that new position ``n`` holds what was at
        ``order[n]`` (two steps through negative positions: the keys stay unique)."""
        marks = ",".join("?" * len(items))
        for new, old in enumerate(order):
            if new != old:
                for table in _TABLES:
                    c.execute(f"UPDATE {table} SET sample=? WHERE assessment=? AND sample=? AND "
                              f"item_id IN ({marks})", (-1 - new, uuid, old, *items))
        for table in _TABLES:
            c.execute(f"UPDATE {table} SET sample=-1-sample WHERE assessment=? AND sample<0 AND "
                      f"item_id IN ({marks})", (uuid, *items))

    def _write_samples(self, c, uuid: str, samples: dict, absent: dict) -> None:
        c.execute("UPDATE assessments SET samples=?, samples_absent=?, score_dirty=1 WHERE uuid=?",
                  (dumps(samples), dumps({g: r for g, r in absent.items() if r}), uuid))

    # ------------------------------------------------------------------ remove / restore
    def remove_sample(self, uuid: str, group_id: str, index: int) -> dict:
        """Remove one sample with its answers, notes, findings and photo links; later samples
        move up. Returns what was removed (give it to :meth:`restore_sample` to undo); the history
        keeps it too. Refused below the template's minimum."""
        a = self.get(uuid)
        template, section = self._group(a, group_id)
        labels = list(a.samples.get(group_id, []))
        if not 0 <= index < len(labels):
            raise UserError(_("{group} has no sample {number}").format(
                group=section.title.get(language()), number=index + 1))
        if len(labels) - 1 < section.sample.min:
            raise UserError(_("{group} needs at least {min} sample(s); this one cannot be removed")
                            .format(group=section.title.get(language()), min=section.sample.min))
        items = self._group_items(section)
        marks = ",".join("?" * len(items))
        absent = {g: list(r) for g, r in a.samples_absent.items()}
        reasons = absent.get(group_id, [])
        first_absent = len(labels) - len(reasons)
        removed = {"group": group_id, "index": index, "label": labels[index],
                   "absent": reasons[index - first_absent] if index >= first_absent else None}
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            for table in _TABLES:
                removed[table] = [dict(zip([d[0] for d in cur.description], row)) for cur in [
                    c.execute(f"SELECT * FROM {table} WHERE assessment=? AND sample=? AND "
                              f"item_id IN ({marks})", (uuid, index, *items))] for row in cur]
                c.execute(f"DELETE FROM {table} WHERE assessment=? AND sample=? AND "
                          f"item_id IN ({marks})", (uuid, index, *items))
            order = [n for n in range(len(labels)) if n != index]
            self._permute(c, uuid, items, order)
            labels.pop(index)
            if removed["absent"] is not None:
                reasons.pop(index - first_absent)
            self._write_samples(c, uuid, {**a.samples, group_id: labels}, absent)
            self._log(c, uuid, seq + 1, prev, "sample-", group_id, removed,
                      {"samples": labels})
        return removed

    def restore_sample(self, uuid: str, removed: dict) -> None:
        """Put back a sample removed by :meth:`remove_sample` (the undo), at its old place."""
        a = self.get(uuid)
        group_id, index = removed["group"], removed["index"]
        template, section = self._group(a, group_id)
        labels = list(a.samples.get(group_id, []))
        if len(labels) + 1 > section.sample.max:
            raise UserError(_("{group} allows at most {max} samples").format(
                group=section.title.get(language()), max=section.sample.max))
        index = min(index, len(labels))
        items = self._group_items(section)
        absent = {g: list(r) for g, r in a.samples_absent.items()}
        reasons = absent.setdefault(group_id, [])
        first_absent = len(labels) - len(reasons)
        if removed.get("absent") is not None:
            index = max(index, first_absent)
            reasons.insert(index - first_absent, removed["absent"])
        else:
            index = min(index, first_absent)
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            # shift the later samples down by one (n -> n + 1, from the end)
            marks = ",".join("?" * len(items))
            for n in range(len(labels) - 1, index - 1, -1):
                for table in _TABLES:
                    c.execute(f"UPDATE {table} SET sample=? WHERE assessment=? AND sample=? AND "
                              f"item_id IN ({marks})", (n + 1, uuid, n, *items))
            for table in _TABLES:
                for row in removed.get(table, []):
                    row = dict(row, sample=index)
                    if table == "evidence_links":
                        row.pop("id", None)
                    cols = ", ".join(row)
                    c.execute(f"INSERT INTO {table}({cols}) VALUES({','.join('?' * len(row))})",
                              tuple(row.values()))
            labels.insert(index, removed["label"])
            self._write_samples(c, uuid, {**a.samples, group_id: labels}, absent)
            self._log(c, uuid, seq + 1, prev, "sample+", group_id, None,
                      {"index": index, "label": removed["label"], "samples": labels})

    # ------------------------------------------------------------------ order and availability
    def move_sample(self, uuid: str, group_id: str, index: int, to: int) -> int:
        """Move a sample to position ``to`` (with its answers, notes, findings and photos).
        Samples not available stay at the end; returns the position it landed on."""
        a, section, labels, reasons, first_absent = self._sample_at(uuid, group_id, index)
        lo, hi = (0, first_absent - 1) if index < first_absent else (first_absent, len(labels) - 1)
        to = max(lo, min(hi, to))
        if to == index:
            return index
        order = list(range(len(labels)))
        order.insert(to, order.pop(index))
        self._reorder(a, section, order)
        return to

    def set_sample_absent(self, uuid: str, group_id: str, index: int, reason: str | None) -> int:
        """Mark a sample "not interviewed / not available" with ``reason`` (it moves to the end of
        its group and leaves the averages), or give ``None`` to count it again. Returns its new
        position."""
        a, section, labels, reasons, first_absent = self._sample_at(uuid, group_id, index)
        status = {n: reasons[n - first_absent] for n in range(first_absent, len(labels))}
        if reason is not None:
            if not reason.strip():
                raise UserError(_("say why the sample was not interviewed or not available"))
            status[index] = reason.strip()
        else:
            status.pop(index, None)
        present = [n for n in range(len(labels)) if n not in status]
        gone = [n for n in range(len(labels)) if n in status]
        order = present + gone
        self._reorder(a, section, order, new_reasons=[status[n] for n in gone],
                      action="sample-absent" if reason is not None else "sample-present")
        return order.index(index)

    def _reorder(self, a, section, order: list[int], *,
                 new_reasons: list[str] | None = None, action: str = "sample-order") -> None:
        group_id = section.id
        labels = list(a.samples.get(group_id, []))
        absent = {g: list(r) for g, r in a.samples_absent.items()}
        if new_reasons is not None:
            absent[group_id] = new_reasons
        new_labels = [labels[n] for n in order]
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, a.uuid)
            self._permute(c, a.uuid, self._group_items(section), order)
            self._write_samples(c, a.uuid, {**a.samples, group_id: new_labels}, absent)
            self._log(c, a.uuid, seq + 1, prev, action, group_id,
                      {"samples": labels, "absent": a.samples_absent.get(group_id, [])},
                      {"samples": new_labels, "absent": absent.get(group_id, [])})

    def samples_below_published(self, uuid: str) -> list[dict]:
        """Groups with fewer counted samples than the template's published sample size:
        ``[{"group": "users", "title": ..., "counted": 25, "published": 30, "absent": 2}]``."""
        a = self.get(uuid)
        lang = language()
        out = []
        for group in self.template_of(a).sample_groups():
            labels = a.samples.get(group.id, [])
            absent = len(a.samples_absent.get(group.id, []))
            counted = len(labels) - absent
            if counted < group.sample.default:
                out.append({"group": group.id, "title": group.title.get(lang), "counted": counted,
                            "published": group.sample.default, "absent": absent})
        return out


__all__ = ["SamplesMixin"]
