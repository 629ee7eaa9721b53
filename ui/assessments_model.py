"""The home screen's table model: every assessment in the data folder, filtered and sorted in
Python lists (not per-cell proxy calls), so 10,000 rows stay instant.

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
        self.lang = language()

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[dict], templates: dict) -> None:
        self.beginResetModel()
        self._templates = templates
        self._all = [self._prepare(r) for r in rows]
        self._apply()
        self.endResetModel()

    def _prepare(self, r: dict) -> dict:
        title, bands = self._templates.get((r["template_id"], r["template_version"]), (None, {}))
        band = bands.get(r["grade"]) if r.get("grade") else None
        r = dict(r)
        r["template_title"] = (title.get(self.lang) if title else r["template_id"])
        r["template_label"] = f"{r['template_title']} ({r['template_version']})"
        r["visit"] = ", ".join(r.get("visit_dates") or [])
        r["band"] = band
        r["grade_label"] = band_text(band, self.lang) if band else (r.get("grade") or "")
        if r["status"] in ("draft", "returned") and r.get("score") is not None:
            # a draft's figures still change: said in words, and no grade before every dimension
            r["grade_label"] = (_("{grade} (provisional)").format(grade=r["grade_label"])
                                if r["grade_label"] else _("provisional, no grade yet"))
        r["status_label"] = status_label(r["status"])
        r["sync_label"] = sync_label(r.get("sync_state"))
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

    def _apply(self) -> None:
        words = self._search.split()
        rows = [r for r in self._all
                if (not self._status or r["status"] == self._status)
                and (not self._template or r["template_id"] == self._template)
                and all(w in r["haystack"] for w in words)]
        column, order = self._sort
        key = _SORT_KEYS[column]
        rows.sort(key=lambda r: (key(r) is None, key(r) if key(r) is not None else 0),
                  reverse=order == Qt.SortOrder.DescendingOrder)
        if order == Qt.SortOrder.DescendingOrder:  # keep empty values last either way
            rows.sort(key=lambda r: key(r) is None)
        self._rows = rows

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

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == SCORE:
                return "" if r["score"] is None else format_number(r["score"])
            return r[_DISPLAY[col]]
        if role == Qt.ItemDataRole.ToolTipRole and col in (UNIT, AGENCY):
            tip = f"{r['unit']}\n{r['agency']}\n{r['address']}"
            return f"{tip}\n\n{r['review_text']}" if r.get("review_text") else tip
        if role == Qt.ItemDataRole.ToolTipRole and r.get("review_text"):
            return r["review_text"]
        if role == Qt.ItemDataRole.FontRole and col == UNIT and r["status"] == "returned":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CHIP_ROLE:
            if col == STATUS:
                return theme.STATUS_COLOURS.get(r["status"])
            if col == GRADE and r["band"] is not None:
                return theme.zone_colours(r["band"].zone)
        if role == UUID_ROLE:
            return r["uuid"]
        return None

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
