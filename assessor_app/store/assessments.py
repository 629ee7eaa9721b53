"""Assessments: creating, reading, listing, answering, and status changes.

Every write is one transaction that also appends a hash-chained history entry and moves the
assessment's history head; when the method returns, the change is on disk (synchronous=FULL).
"""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from ..answers import validate_answer
from ..errors import AnswerInvalid, AssessmentLocked, AssessmentNotFound, StoreError, UserError
from ..i18n import _, language
from ..scoring import ScoreResult, score as score_sheet
from ..templates.model import Template
from .base import dumps, loads, now
from .fields import check_details, check_inspectors, check_item_note, check_notes, check_unit, \
    check_visit_dates
from .history import entry_hash
from .records import EDITABLE, STATUSES, TRANSITIONS, Assessment, Change

UNIT_FIELDS = ("agency", "unit", "address")
_LIST_COLUMNS = ("uuid", "template_id", "template_version", "status", "agency", "unit", "address",
                 "visit_dates", "score", "grade", "zone", "answered", "total_items",
                 "required_missing", "updated_at", "sync_state")


class AssessmentsMixin:
    # ------------------------------------------------------------------ internals
    def _head(self, c, uuid: str) -> tuple:
        row = c.execute("SELECT status, history_seq, history_head, template_hash FROM assessments "
                        "WHERE uuid=?", (uuid,)).fetchone()
        if row is None:
            raise AssessmentNotFound(_("no assessment {uuid} in this data folder").format(uuid=uuid))
        return row

    def _log(self, c, uuid: str, seq: int, prev: str, action: str, target: str,
             old: Any, new: Any, *, dirty: bool = True, at: str | None = None) -> Change:
        at = at or now()
        old_s, new_s = dumps(old), dumps(new)
        digest = entry_hash(uuid, seq, at, self.actor, action, target, old_s, new_s, prev)
        c.execute("INSERT INTO history(assessment, seq, at, actor, action, target, old, new, prev, "
                  "hash) VALUES(?,?,?,?,?,?,?,?,?,?)",
                  (uuid, seq, at, self.actor, action, target, old_s, new_s, prev, digest))
        c.execute("UPDATE assessments SET updated_at=?, history_seq=?, history_head=?"
                  + (", score_dirty=1" if dirty else "") + " WHERE uuid=?", (at, seq, digest, uuid))
        return Change(uuid, action, target, at, seq)

    def _editable(self, c, uuid: str) -> tuple:
        head = self._head(c, uuid)
        if head[0] not in EDITABLE:
            raise AssessmentLocked(_("assessment {uuid} is {status}; reopen it as an amendment "
                                     "before changing it").format(uuid=uuid[:8], status=head[0]))
        return head

    # ------------------------------------------------------------------ create / read
    def create_assessment(self, template: Template | str, *, unit: dict, visit_dates=(),
                          inspectors=(), samples: dict | None = None, notes: str = "",
                          uuid: str | None = None) -> str:
        """Start an assessment pinned to ``template`` (a Template or an installed template id).

        ``unit`` has agency, unit, address (and any extra keys); ``samples`` maps each sample
        group id to the labels of its sampled subjects (count within the template's bounds;
        default: the template's default count with numbered labels)."""
        if isinstance(template, str):
            template = self.get_template(template)
        self.import_template(template) if template.hash not in self._templates else None
        if not (unit.get("unit") or "").strip():
            raise UserError(_("the assessed unit needs a name"))
        unit, visit_dates = check_unit(unit), check_visit_dates(visit_dates)
        inspectors, notes = check_inspectors(inspectors), check_notes(notes)
        sample_labels = self._check_samples(template, samples or {})
        uid = uuid or str(uuidlib.uuid4())
        at = now()
        extra = {k: v for k, v in unit.items() if k not in UNIT_FIELDS}
        with self.transaction() as c:
            c.execute(
                "INSERT INTO assessments(uuid, template_id, template_version, template_hash, status,"
                " agency, unit, address, unit_extra, visit_dates, inspectors, samples, notes,"
                " created_at, updated_at, created_by, score_dirty, history_seq, history_head)"
                " VALUES(?,?,?,?,'draft',?,?,?,?,?,?,?,?,?,?,?,1,0,'')",
                (uid, template.id, template.version, template.hash, unit.get("agency", ""),
                 unit.get("unit", ""), unit.get("address", ""), dumps(extra),
                 dumps(list(visit_dates)), dumps(list(inspectors)), dumps(sample_labels), notes,
                 at, at, self.actor))
            self._log(c, uid, 1, "", "create", "assessment", None,
                      {"template": template.id, "version": template.version,
                       "template_hash": template.hash, "unit": unit, "samples": sample_labels})
        return uid

    def _check_samples(self, template: Template, samples: dict) -> dict:
        out = {}
        groups = {g.id: g for g in template.sample_groups()}
        unknown = set(samples) - set(groups)
        if unknown:
            raise UserError(_("template {template} has no sample group {group}").format(
                template=template.id, group=repr(sorted(unknown)[0])))
        for gid, group in groups.items():
            spec = group.sample
            labels = samples.get(gid)
            if labels is None:
                labels = [f"{spec.label.get('id')} {i + 1}" for i in range(spec.default)]
            labels = [str(x).strip() or f"{spec.label.get('id')} {i + 1}" for i, x in enumerate(labels)]
            if not spec.min <= len(labels) <= spec.max:
                raise UserError(_("{group}: {count} samples given; this template allows {min} to "
                                  "{max}").format(group=group.title.get(language()),
                                                  count=len(labels), min=spec.min, max=spec.max))
            out[gid] = labels
        return out

    def get(self, uuid: str) -> Assessment:
        c = self.conn
        row = c.execute("SELECT uuid, template_id, template_version, template_hash, status, agency,"
                        " unit, address, unit_extra, visit_dates, inspectors, samples, notes,"
                        " created_at, updated_at, history_seq, history_head, server_rev, sync_state,"
                        " samples_absent FROM assessments WHERE uuid=?", (uuid,)).fetchone()
        if row is None:
            raise AssessmentNotFound(_("no assessment {uuid} in this data folder").format(uuid=uuid))
        unit = {"agency": row[5], "unit": row[6], "address": row[7], **loads(row[8], {})}
        a = Assessment(row[0], row[1], row[2], row[3], row[4], unit, loads(row[9], []),
                       loads(row[10], []), loads(row[11], {}), row[12] or "", row[13], row[14],
                       row[15], row[16], row[17] or 0, row[18] or "local",
                       samples_absent=loads(row[19], {}))
        for item_id, sample, value, note in c.execute(
                "SELECT item_id, sample, value, note FROM answers WHERE assessment=?", (uuid,)):
            if value is not None:
                a.answers[(item_id, sample)] = loads(value)
            if note:
                a.item_notes[(item_id, sample)] = note
        a.findings = [dict(r) for r in self.db.query(
            "SELECT * FROM findings WHERE assessment=? ORDER BY created_at", [uuid])]
        a.evidence = [dict(r) for r in self.db.query(
            "SELECT l.id, l.item_id, l.sample, l.sha256, l.caption, l.created_at, e.kind, e.mime,"
            " e.width, e.height, e.size, e.taken_at, e.gps_lat, e.gps_lon, e.original_name"
            " FROM evidence_links l JOIN evidence e ON e.sha256 = l.sha256"
            " WHERE l.assessment=? ORDER BY l.id", [uuid])]
        a.signatures = [dict(r) for r in self.db.query(
            "SELECT role, name, title, signed_at, sha256 FROM signatures WHERE assessment=?"
            " ORDER BY signed_at", [uuid])]
        return a

    def unverified(self, uuid: str) -> dict | None:
        """What of an imported assessment nothing vouches for, or None: ``{"source": "x.zip",
        "status": "approved", "signatures": ["supervisor"]}``. Set by exchange imports (a file
        can be edited by hand); the server and signed reports are the sources that verify."""
        row = self.conn.execute("SELECT source, status, signatures FROM unverified_imports"
                                " WHERE assessment=?", (uuid,)).fetchone()
        return None if row is None else {"source": row[0], "status": row[1],
                                         "signatures": loads(row[2], [])}

    def template_of(self, assessment: Assessment | str) -> Template:
        if isinstance(assessment, str):
            row = self.conn.execute("SELECT template_hash FROM assessments WHERE uuid=?",
                                    (assessment,)).fetchone()
            if row is None:
                raise AssessmentNotFound(_("no assessment {uuid} in this data folder").format(
                    uuid=assessment))
            return self.template_by_hash(row[0])
        return self.template_by_hash(assessment.template_hash)

    def list_assessments(self, *, status: str | None = None, template_id: str | None = None,
                         search: str | None = None) -> list[dict]:
        """Rows for the home screen with cached score, grade and zone (rescored when stale)."""
        self.refresh_scores()
        sql = (f"SELECT {', '.join(_LIST_COLUMNS)} FROM assessments WHERE uuid NOT IN "
               "(SELECT uuid FROM team_copies)")     # the team's work is on the review page
        args: list = []
        if status:
            sql += " AND status=?"
            args.append(status)
        if template_id:
            sql += " AND template_id=?"
            args.append(template_id)
        if search:
            sql += (" AND (unit LIKE ? ESCAPE '\\' OR agency LIKE ? ESCAPE '\\'"
                    " OR address LIKE ? ESCAPE '\\')")
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args += [f"%{escaped}%"] * 3
        sql += " ORDER BY updated_at DESC"
        parsed: dict[str | None, list] = {}     # many rows share their visit dates' text

        def dates(text):
            found = parsed.get(text)
            if found is None:
                found = parsed[text] = loads(text, [])
            return list(found)
        # one dict display per row (cheaper than dict(zip(...)) over 10,000 rows); the keys
        # are _LIST_COLUMNS, in its order
        return [{"uuid": r[0], "template_id": r[1], "template_version": r[2], "status": r[3],
                 "agency": r[4], "unit": r[5], "address": r[6], "visit_dates": dates(r[7]),
                 "score": r[8], "grade": r[9], "zone": r[10], "answered": r[11],
                 "total_items": r[12], "required_missing": r[13], "updated_at": r[14],
                 "sync_state": r[15]} for r in self.conn.execute(sql, args)]

    # ------------------------------------------------------------------ scoring cache
    def score(self, uuid: str) -> ScoreResult:
        """Score the assessment with the one engine and refresh the cached figures."""
        a = self.get(uuid)
        result = score_sheet(self.template_of(a), a.sheet())
        self._cache_score(uuid, result)
        return result

    def _cache_score(self, uuid: str, result: ScoreResult) -> None:
        """Refresh the cached figures; skipped (they stay marked stale) when the database cannot
        be written (read-only or full disk), so reading and listing keep working."""
        if not self._cache_writable:
            return
        try:
            self._write_score_cache(uuid, result)
        except StoreError:
            self._cache_writable = False

    def _write_score_cache(self, uuid: str, result: ScoreResult) -> None:
        """No grade in the cache while a dimension has no score yet (provisional.py)."""
        from ..provisional import shown_band
        c = result.completeness
        band = shown_band(result)
        with self.transaction() as conn:
            conn.execute("UPDATE assessments SET score=?, grade=?, zone=?, answered=?, total_items=?,"
                         " required_missing=?, score_dirty=0 WHERE uuid=?",
                         (float(result.total) if result.total is not None else None,
                          band.id if band else None, band.zone if band else None,
                          c.answered, c.total, len(c.required_missing), uuid))

    def refresh_scores(self) -> int:
        dirty = [r[0] for r in self.conn.execute("SELECT uuid FROM assessments WHERE score_dirty=1")]
        for uid in dirty:
            self.score(uid)
        return len(dirty)

    # ------------------------------------------------------------------ answers
    def set_answer(self, uuid: str, item_id: str, value: Any, sample: int = 0) -> Change:
        """Validate and store one answer (``None`` clears it). Committed when this returns."""
        with self.transaction() as c:
            status, seq, prev, thash = self._editable(c, uuid)
            item, sample = self._item_at(c, uuid, thash, item_id, sample)
            value = validate_answer(item, value)
            row = c.execute("SELECT value FROM answers WHERE assessment=? AND item_id=? AND sample=?",
                            (uuid, item_id, sample)).fetchone()
            old = loads(row[0]) if row else None
            new_s = dumps(value) if value is not None else None
            at = now()
            c.execute("INSERT INTO answers(assessment, item_id, sample, value, note, updated_at)"
                      " VALUES(?,?,?,?,'',?) ON CONFLICT(assessment, item_id, sample) DO UPDATE"
                      " SET value=excluded.value, updated_at=excluded.updated_at",
                      (uuid, item_id, sample, new_s, at))
            return self._log(c, uuid, seq + 1, prev, "answer", f"{item_id}#{sample}", old, value,
                             at=at)

    def _item_at(self, c, uuid: str, template_hash: str, item_id: str, sample: int):
        """The template item and the checked sample index an answer, note or photo goes to."""
        template = self.template_by_hash(template_hash)
        item = template.items.get(item_id)
        if item is None:
            raise AnswerInvalid(_("template {template} has no item {item}").format(
                template=template.id, item=repr(item_id)))
        return item, self._check_sample_index(c, uuid, item, sample)

    def _check_sample_index(self, c, uuid: str, item, sample: int) -> int:
        if item.sample_group is None:
            if sample not in (0, None):
                raise AnswerInvalid(_("{item} is not in a sample group; it has no sample {sample}")
                                    .format(item=item.id, sample=sample))
            return 0
        samples = loads(c.execute("SELECT samples FROM assessments WHERE uuid=?",
                                  (uuid,)).fetchone()[0], {})
        count = len(samples.get(item.sample_group, []))
        if not isinstance(sample, int) or not 0 <= sample < count:
            raise AnswerInvalid(_("{item}: sample {sample} does not exist (this assessment has "
                                  "{count} in {group})").format(
                item=item.id, sample=sample, count=count, group=repr(item.sample_group)))
        return sample

    def set_note(self, uuid: str, item_id: str, note: str, sample: int = 0) -> Change:
        note = check_item_note(note)
        with self.transaction() as c:
            status, seq, prev, thash = self._editable(c, uuid)
            item, sample = self._item_at(c, uuid, thash, item_id, sample)
            row = c.execute("SELECT note FROM answers WHERE assessment=? AND item_id=? AND sample=?",
                            (uuid, item_id, sample)).fetchone()
            c.execute("INSERT INTO answers(assessment, item_id, sample, value, note, updated_at)"
                      " VALUES(?,?,?,NULL,?,?) ON CONFLICT(assessment, item_id, sample) DO UPDATE"
                      " SET note=excluded.note, updated_at=excluded.updated_at",
                      (uuid, item_id, sample, note, now()))
            return self._log(c, uuid, seq + 1, prev, "note", f"{item_id}#{sample}",
                             row[0] if row else "", note, dirty=False)

    def update_details(self, uuid: str, **fields) -> Change:
        """Change unit fields (agency, unit, address, extra keys), ``visit_dates``,
        ``inspectors`` or ``notes``."""
        a = self.get(uuid)
        if not a.editable:
            raise AssessmentLocked(_("assessment {uuid} is {status}; reopen it first").format(
                uuid=uuid[:8], status=a.status))
        fields = check_details(fields)
        unit = dict(a.unit)
        old, new = {}, {}
        for key, value in fields.items():
            if key in ("visit_dates", "inspectors", "notes"):
                old[key], new[key] = getattr(a, key), value
            else:
                old[key], new[key] = unit.get(key), value
                unit[key] = value
        if not (unit.get("unit") or "").strip():
            raise UserError(_("the assessed unit needs a name"))
        extra = {k: v for k, v in unit.items() if k not in UNIT_FIELDS}
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            c.execute("UPDATE assessments SET agency=?, unit=?, address=?, unit_extra=?, visit_dates=?,"
                      " inspectors=?, notes=? WHERE uuid=?",
                      (unit.get("agency", ""), unit.get("unit", ""), unit.get("address", ""),
                       dumps(extra), dumps(new.get("visit_dates", a.visit_dates)),
                       dumps(new.get("inspectors", a.inspectors)), new.get("notes", a.notes), uuid))
            return self._log(c, uuid, seq + 1, prev, "details", "assessment", old, new, dirty=False)

    def set_samples(self, uuid: str, group_id: str, labels: list[str]) -> Change:
        """Rename, add or remove sampled subjects. Removing a sample that has answers is refused."""
        a = self.get(uuid)
        template = self.template_of(a)
        merged = self._check_samples(template, {**a.samples, group_id: labels})
        if len(merged[group_id]) < len(a.samples.get(group_id, [])):
            group_items = {i.id for i in template.section_index[group_id].walk_items()}
            lost = [k for k in a.answers if k[0] in group_items and k[1] >= len(merged[group_id])]
            if lost:
                raise UserError(_("sample {number} of {group} has answers; clear them before "
                                  "removing the sample").format(number=lost[0][1] + 1,
                                                                group=group_id))
        reasons = a.samples_absent.get(group_id, [])
        old_count, added = len(a.samples.get(group_id, [])), len(merged[group_id]) - len(
            a.samples.get(group_id, []))
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            if added > 0 and reasons:       # new samples go before those not available
                labels = merged[group_id]
                first_absent = old_count - len(reasons)
                merged[group_id] = (labels[:first_absent] + labels[old_count:]
                                    + labels[first_absent:old_count])
                group_items = [i.id for i in template.section_index[group_id].walk_items()]
                marks = ",".join("?" * len(group_items))
                for n in range(old_count - 1, first_absent - 1, -1):
                    for table in ("answers", "findings", "evidence_links"):
                        c.execute(f"UPDATE {table} SET sample=? WHERE assessment=? AND sample=? "
                                  f"AND item_id IN ({marks})", (n + added, uuid, n, *group_items))
            absent = dict(a.samples_absent)
            if added < 0 and reasons:       # the last samples went: those not available first
                absent[group_id] = reasons[:max(0, len(reasons) + added)]
            c.execute("UPDATE assessments SET samples=?, samples_absent=? WHERE uuid=?",
                      (dumps(merged), dumps({g: r for g, r in absent.items() if r}), uuid))
            return self._log(c, uuid, seq + 1, prev, "samples", group_id,
                             a.samples.get(group_id), merged[group_id])

    # ------------------------------------------------------------------ status
    def set_status(self, uuid: str, new_status: str, *, reason: str = "") -> Change:
        """Move along the allowed status changes; completing requires a complete assessment,
        reopening ("amend") requires a reason, which is recorded."""
        if new_status not in STATUSES:
            raise UserError(_("unknown status {status}").format(status=repr(new_status)))
        result = self.score(uuid) if new_status == "completed" else None
        if result is not None and not result.completeness.complete:
            c = result.completeness
            raise UserError(_("cannot complete: {required} required item(s) unanswered and "
                              "{evidence} item(s) missing photo evidence").format(
                required=len(c.required_missing), evidence=len(c.evidence_missing)))
        with self.transaction() as c:
            status, seq, prev, _thash = self._head(c, uuid)
            action = TRANSITIONS.get((status, new_status))
            if action is None:
                raise AssessmentLocked(_("an assessment that is {status} cannot become "
                                         "{new_status}").format(status=status,
                                                                new_status=new_status))
            if action == "amend" and not reason.strip():
                raise UserError(_("reopening a completed assessment needs a reason (it is "
                                  "recorded)"))
            c.execute("UPDATE assessments SET status=? WHERE uuid=?", (new_status, uuid))
            return self._log(c, uuid, seq + 1, prev, action, "status", status,
                             {"status": new_status, "reason": reason} if reason else new_status,
                             dirty=False)

    def complete(self, uuid: str) -> Change:
        return self.set_status(uuid, "completed")

    def delete_draft(self, uuid: str) -> None:
        """Delete an assessment that is still a draft (nothing else is ever deleted)."""
        with self.transaction() as c:
            status = self._head(c, uuid)[0]
            if status != "draft":
                raise AssessmentLocked(_("only drafts can be deleted; this assessment is {status}")
                                       .format(status=status))
            for table in ("answers", "findings", "evidence_links", "signatures", "history",
                          "unverified_imports"):
                c.execute(f"DELETE FROM {table} WHERE assessment=?", (uuid,))
            c.execute("DELETE FROM assessments WHERE uuid=?", (uuid,))
