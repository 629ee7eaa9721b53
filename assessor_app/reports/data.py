"""Everything one report shows, gathered from the store in one go (in the caller's thread).

:func:`gather` reads the assessment, scores it with the one engine, builds the exchange document
that the PDF embeds, and lists the photos and drawn signatures. The page modules only read it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..evidence.files import evidence_path, read_evidence
from ..exchange import export_document
from ..i18n import _, language, translate
from ..reference_text import default_sample_label, finding_text
from ..scoring import ScoreResult, score as score_sheet
from ..store.records import Assessment
from ..templates.model import Template
from .errors import ReportError

FINAL_STATUSES = ("completed", "submitted", "approved")
QR_PREFIX = "assessor-report/1"


@dataclass
class Photo:
    number: int            # F1, F2, ... in the appendix
    sha256: str
    item_id: str
    sample: int
    path: Path
    item_number: str
    item_text: str
    sample_label: str
    caption: str
    taken_at: str | None
    width: int
    height: int


@dataclass
class DrawnSignature:
    role: str
    name: str
    title: str
    signed_at: str
    png: bytes


@dataclass
class ReportContext:
    lang: str
    assessment: Assessment
    template: Template
    result: ScoreResult
    doc: dict
    json_bytes: bytes
    data_hash: str
    report_no: str
    organisation: str
    logo_path: Path | None
    generated_at: datetime
    photos: list[Photo] = field(default_factory=list)
    signatures: dict[str, DrawnSignature] = field(default_factory=dict)
    #: the data folder's evidence folder (photos and their report-size copies)
    evidence_dir: Path | None = None
    #: tests only: print another total than the data gives (verify must catch it)
    printed_total_override: Any = None
    #: filled while drawing: field key ("inspector", "inspector-2", "supervisor") -> (page index,
    #: (x1, y1, x2, y2)) of each electronic signature box
    sig_boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)
    #: "full" (details per sample and the photo appendix) or "summary" (at most 8 pages)
    kind: str = "full"
    #: who approved the assessment and when (:func:`approval_of`), None when not approved
    approval: dict | None = None

    def t(self, message: str) -> str:
        return translate(message, self.lang)

    @property
    def draft(self) -> bool:
        return self.assessment.status not in FINAL_STATUSES

    @property
    def qr_payload(self) -> str:
        return f"{QR_PREFIX};no={self.report_no};sha256={self.data_hash}"

    def text(self, value) -> str:
        """A template ``Text`` in the report's language."""
        return value.get(self.lang) if value is not None else ""

    def sample_label(self, group: str | None, sample: int) -> str:
        if not group:
            return ""
        spec = self.template.section_index[group].sample
        name = self.sample_name(group, sample)
        prefix = f"{spec.label.get(self.lang)} {sample + 1}"
        label = f"{prefix}: {name}" if name else prefix
        reason = self.absent_reason(group, sample)
        if reason is not None:
            label += " — " + self.t("not interviewed / not available: {reason}").format(
                reason=reason)
        return label

    def sample_name(self, group: str, sample: int) -> str:
        """The name the inspector gave a sample (``KTP-el``), or "" for a default, numbered name
        in either language (``Pengguna layanan 3`` / ``Service user 3``)."""
        labels = self.assessment.samples.get(group) or []
        name = str(labels[sample]).strip() if sample < len(labels) else ""
        spec = self.template.section_index[group].sample
        defaults = {f"{spec.label.get(lang)} {sample + 1}".casefold() for lang in ("id", "en")}
        if name.casefold() in defaults:
            return ""
        return default_sample_label(spec, name, self.lang)   # "Petugas 3" moved to place 1

    def absent_reason(self, group: str, sample: int) -> str | None:
        """Why that sample was not interviewed (None: it was, and it counts)."""
        labels = self.assessment.samples.get(group) or []
        reasons = self.assessment.samples_absent.get(group, [])
        first = len(labels) - len(reasons)
        return reasons[sample - first] if first <= sample < len(labels) else None

    def finding_text(self, finding: dict) -> tuple[str, str]:
        """A finding's text and action in the report's language while they are the template's
        own words (not edited); edited words as written."""
        item = self.template.items.get(finding.get("item_id") or "")
        return finding_text(item, finding, self.lang)

    def long_date(self, value: str | None) -> str:
        if not value:
            return "-"
        from babel.dates import format_date
        try:
            return format_date(date.fromisoformat(str(value)[:10]), "long", locale=self.lang)
        except ValueError:
            return str(value)

    def date_time(self, value: str | datetime | None) -> str:
        """``2026-11-02 09:15 WITA``: local time with its zone, as on screen (timefmt)."""
        from ..timefmt import format_instant
        return format_instant(value)


REPORT_KINDS = ("full", "summary")


def approval_of(store, uuid: str) -> dict | None:
    """Who approved ``uuid`` and when: ``{"name": str | None, "at": str}``, or None when the
    assessment is not approved.

    Read from what the local store holds about the review decision: the review desk's decision
    records (``store.approval``: the server's decision pulled, else one made on this laptop and
    still queued), else an ``approve`` comment pulled from the server (its author and time), else
    the approval in the assessment's own history (its time; the name when the entry carries one
    as ``by``/``name``).
    """
    a = store.get(uuid)
    record = store.approval(uuid) if hasattr(store, "approval") else None
    if record is not None:      # the review desk's decision records (pulled, or made here)
        return {"name": record.get("by") or None, "at": record.get("at")}
    if a.status != "approved":
        return None
    try:
        decisions = [c for c in store.list_comments(uuid) if c.get("kind") == "approve"]
    except Exception:  # noqa: BLE001 - a store without the sync tables has no server decision
        decisions = []
    if decisions:
        last = decisions[-1]
        return {"name": (last.get("author") or None), "at": last.get("at")}
    rows = store.conn.execute(
        "SELECT at, new FROM history WHERE assessment=? AND action='approve' ORDER BY seq DESC "
        "LIMIT 1", (uuid,)).fetchall()
    if not rows:
        return None
    at, new = rows[0]
    name = None
    try:
        value = json.loads(new) if new else None
    except ValueError:
        value = None
    if isinstance(value, dict):
        by = value.get("name") or value.get("by")
        name = by if by and by != "server" else None
    return {"name": name, "at": at}


def person_key(name) -> str:
    """A person's name compared as people read it: case, accents' composition and spacing
    ignored (``"siti  Nurhaliza"`` is ``"Siti Nurhaliza"``)."""
    import unicodedata
    return " ".join(unicodedata.normalize("NFKC", str(name or "")).casefold().split())


def inspector_field_key(index: int) -> str:
    """``inspector`` for the first inspector named on the report, ``inspector-2``, ... after."""
    return "inspector" if index == 0 else f"inspector-{index + 1}"


def report_number(a: Assessment) -> str:
    """``2026-1A2B3C4D-17``: visit year, assessment id, history revision (changes on amendment)."""
    year = (a.visit_dates[0] if a.visit_dates else a.created_at)[:4]
    return f"{year}-{a.uuid[:8].upper()}-{a.history_seq}"


def gather(store, uuid: str, *, lang: str | None = None, organisation: str | None = None,
           logo_path: str | Path | None = None, kind: str = "full") -> ReportContext:
    """Read one assessment for its report. ``store`` must belong to the calling thread."""
    lang = lang or store.get_setting("language") or language()
    if lang not in ("id", "en"):
        raise ReportError(_("unknown report language {lang}; use id or en").format(
            lang=repr(lang)))
    if kind not in REPORT_KINDS:
        raise ReportError(_("unknown report kind {kind}; use full or summary").format(
            kind=repr(kind)))
    a = store.get(uuid)
    template = store.template_of(a)
    result = score_sheet(template, a.sheet())
    doc = export_document(store, uuid)
    json_bytes = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    org = organisation if organisation is not None else store.get_setting("organisation", "")
    logo = logo_path if logo_path is not None else store.get_setting("logo_path")
    logo = Path(logo).expanduser() if logo else None
    if logo is not None and not logo.is_file():
        raise ReportError(_("the logo file {path} does not exist; fix the setting 'logo_path' "
                            "or give --logo FILE").format(path=logo))
    ctx = ReportContext(
        lang=lang, assessment=a, template=template, result=result, doc=doc,
        json_bytes=json_bytes, data_hash=hashlib.sha256(json_bytes).hexdigest(),
        report_no=report_number(a), organisation=org or "", logo_path=logo,
        generated_at=datetime.now(timezone.utc),
        evidence_dir=store.evidence_dir,
        kind=kind, approval=approval_of(store, uuid),
    )
    number = 0
    order = {item.id: i for i, item in enumerate(template.walk_items())}
    photos = [e for e in a.evidence if e.get("kind", "photo") == "photo"]
    photos.sort(key=lambda e: (order.get(e["item_id"], 1 << 30), e["sample"], e["id"]))
    for ev in photos:
        item = template.items.get(ev["item_id"])
        number += 1
        ctx.photos.append(Photo(
            number=number, sha256=ev["sha256"], item_id=ev["item_id"], sample=ev["sample"] or 0,
            path=evidence_path(store.evidence_dir, ev["sha256"]),
            item_number=item.number if item else ev["item_id"],
            item_text=ctx.text(item.text) if item else "",
            sample_label=ctx.sample_label(item.sample_group if item else None, ev["sample"]),
            caption=ev.get("caption") or "", taken_at=ev.get("taken_at"),
            width=ev.get("width") or 0, height=ev.get("height") or 0))
    for sig in a.signatures:
        ctx.signatures[sig["role"]] = DrawnSignature(
            sig["role"], sig["name"], sig.get("title") or "", sig["signed_at"],
            read_evidence(store.evidence_dir, sig["sha256"]))
    return ctx
