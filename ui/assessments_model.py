"""The home screen's table model: every assessment in the data folder, filtered and sorted in
Python lists (not per-cell proxy calls), so 10,000 rows stay instant.

Rows are prepared once per load (labels, search text). Each column's sort key is computed once
per load and the sorted order kept (an index per column and direction), so a sort seen before
costs nothing and a filter keeps the sorted order without sorting again. A search keystroke that
extends the previous search only narrows the rows already shown.

Rows come from ``AssessmentStore.list_assessments()`` (loaded in the background by
:func:`load_rows`); scores, grades and zones are the core's cached figures.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from assessor_app.i18n import language
from assessor_app.store import AssessmentStore

from . import theme
from .checklist.review_panel import latest_review, review_summary
from .i18n import _, band_text, format_number, status_label, sync_label

UNIT, AGENCY, TEMPLATE, VISIT, STATUS, SCORE, GRADE, SYNC = range(8)
CHIP_ROLE = Qt.ItemDataRole.UserRole + 1       # (bg, fg) for chip columns
UUID_ROLE = Qt.ItemDataRole.UserRole + 2
_DISPLAY_ROLE, _TOOLTIP_ROLE = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_FONT_ROLE, _ALIGN_ROLE = Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole
_ANSWERED = frozenset(int(r) for r in (_DISPLAY_ROLE, _TOOLTIP_ROLE, _FONT_ROLE, _ALIGN_ROLE,
                                       CHIP_ROLE, UUID_ROLE))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def load_rows(store: AssessmentStore) -> tuple[list[dict], dict]:
    """Read the rows and the templates they use (safe to call in a worker with its own store).

    Returns ``(rows, templates)`` with ``templates[(id, version)] = (title Text, {band id: Band})``.
    """
    rows = store.list_assessments()
    templates: dict = {}
    for r in rows:
        key = (r["template_id"], r["template_version"])
        if key not in templates:
            try:
                t = store.get_template(*key)
                templates[key] = (t.title, {b.id: b for b in t.bands})
            except Exception:  # noqa: BLE001 - a missing template still lists the row
                templates[key] = (None, {})
    for r in rows:          # the supervisor's word on returned work (shown on hover)
        if r["status"] == "returned":
            r["review"] = store.list_comments(r["uuid"])
    return rows, templates


class AssessmentsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[dict] = []
        self._rows: list[dict] = []
        self._templates: dict = {}
        self._search, self._status, self._template = "", None, None
        self._sort = (VISIT, Qt.SortOrder.DescendingOrder)
        self._orders: dict = {}            # (column, order) -> all rows in that order
        self._shown = None                 # (search, status, template, sort) of self._rows
        self.lang = language()

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[dict], templates: dict) -> None:
        self.beginResetModel()
        self._templates = templates
        self._labels: dict = {}            # the same few labels for 10,000 rows: made once each
        self._all = [self._prepare(r) for r in rows]
        self._orders, self._shown = {}, None
        self._apply()
        self.endResetModel()

    def _label(self, kind: str, value, make) -> str:
        key = (kind, value)
        text = self._labels.get(key)
        if text is None:
            text = self._labels[key] = make()
        return text

    def _prepare(self, r: dict) -> dict:
        tkey = (r["template_id"], r["template_version"])
        title, bands = self._templates.get(tkey, (None, {}))
        band = bands.get(r["grade"]) if r.get("grade") else None
        r = dict(r)
        r["template_title"] = self._label("title", tkey, lambda: title.get(self.lang) if title
                                          else r["template_id"])
        r["template_label"] = self._label("template", tkey,
                                          lambda: f"{r['template_title']} ({r['template_version']})")
        r["visit"] = ", ".join(r.get("visit_dates") or [])
        r["band"] = band
        r["grade_label"] = (self._label("band", (tkey, band.id), lambda: band_text(band, self.lang))
                            if band else (r.get("grade") or ""))
        if r["status"] in ("draft", "returned") and r.get("score") is not None:
            # a draft's figures still change: said in words, and no grade before every dimension
            r["grade_label"] = (_("{grade} (provisional)").format(grade=r["grade_label"])
                                if r["grade_label"] else _("provisional, no grade yet"))
        r["status_label"] = self._label("status", r["status"], lambda: status_label(r["status"]))
        r["sync_label"] = self._label("sync", r.get("sync_state"), lambda: sync_label(r.get("sync_state")))
        r["review_text"] = ""
        if r["status"] == "returned":
            r["review_text"] = review_summary(latest_review(r.get("review") or []))
        r["haystack"] = " ".join(str(r.get(k) or "") for k in ("unit", "agency", "address",
                                                                "template_title")).lower()
        return r

    def set_filter(self, search: str = "", status: str | None = None,
                   template_id: str | None = None) -> None:
        self.beginResetModel()
        self._search, self._status, self._template = search.strip().lower(), status, template_id
        self._apply()
        self.endResetModel()

    def _ordered(self) -> list[dict]:
        """Every row in the current sort order (kept per column and direction until the next
        load). Empty values go last either way; equal values keep the store's order."""
        rows = self._orders.get(self._sort)
        if rows is None:
            column, order = self._sort
            key = _SORT_KEYS[column]
            decorated = [(key(r), r) for r in self._all]
            present = [d for d in decorated if d[0] is not None]
            # a stable sort, also reversed: equal values keep the store's order
            present.sort(key=lambda d: d[0], reverse=order == Qt.SortOrder.DescendingOrder)
            rows = [d[1] for d in present] + [d[1] for d in decorated if d[0] is None]
            self._orders[self._sort] = rows
        return rows

    def _apply(self) -> None:
        words = self._search.split()
        shown = (self._search, self._status, self._template, self._sort)
        last = self._shown
        if (last is not None and last[1:] == shown[1:] and last[0] and
                self._search.startswith(last[0])):
            base = self._rows              # typing on: only the rows shown can still match
        else:
            base = self._ordered()
            if self._status or self._template:
                base = [r for r in base if (not self._status or r["status"] == self._status)
                        and (not self._template or r["template_id"] == self._template)]
        if not words:
            self._rows = list(base)
        elif len(words) == 1:              # the usual keystroke: no generator per row
            word = words[0]
            self._rows = [r for r in base if word in r["haystack"]]
        else:
            self._rows = [r for r in base if all(w in r["haystack"] for w in words)]
        self._shown = shown

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply()
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 8

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [_("Unit"), _("Agency"), _("Template"), _("Visit date"), _("Status"), _("Score"),
                    _("Grade / zone"), _("Sync")][section]
        return None

    def data(self, index: QModelIndex, role=_DISPLAY_ROLE):
        # asked about 120 times per repainted row: unanswered roles leave first
        if role not in _ANSWERED or not index.isValid():
            return None
        r, col = self._rows[index.row()], index.column()
        if role == _DISPLAY_ROLE:
            if col == SCORE:
                return "" if r["score"] is None else format_number(r["score"])
            return r[_DISPLAY[col]]
        if role == _TOOLTIP_ROLE:
            if col in (UNIT, AGENCY):
                tip = f"{r['unit']}\n{r['agency']}\n{r['address']}"
                return f"{tip}\n\n{r['review_text']}" if r.get("review_text") else tip
            return r.get("review_text") or None
        if role == _FONT_ROLE:
            if col == UNIT and r["status"] == "returned":
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == _ALIGN_ROLE:
            return _RIGHT if col == SCORE else None
        if role == CHIP_ROLE:
            if col == STATUS:
                return theme.STATUS_COLOURS.get(r["status"])
            if col == GRADE and r["band"] is not None:
                return theme.zone_colours(r["band"].zone)
            return None
        return r["uuid"]            # UUID_ROLE

    def row(self, index: int) -> dict:
        return self._rows[index]

    def total(self) -> int:
        return len(self._all)

    def template_choices(self) -> list[tuple[str, str]]:
        seen = {}
        for r in self._all:
            seen.setdefault(r["template_id"], r["template_title"])
        return sorted(seen.items(), key=lambda kv: kv[1])


_DISPLAY = {UNIT: "unit", AGENCY: "agency", TEMPLATE: "template_label", VISIT: "visit",
            STATUS: "status_label", GRADE: "grade_label", SYNC: "sync_label"}
_SORT_KEYS = {
    UNIT: lambda r: (r["unit"] or "").lower(), AGENCY: lambda r: (r["agency"] or "").lower(),
    TEMPLATE: lambda r: r["template_label"].lower(), VISIT: lambda r: r["visit"] or None,
    STATUS: lambda r: r["status_label"], SCORE: lambda r: r["score"],
    GRADE: lambda r: r["score"] if r["band"] else None, SYNC: lambda r: r["sync_label"],
}
