"""A government's results report (PDF) for one round, in the assessment report's look.

Cover block (score in its zone colour, grade in words, rank inside the category), the units
table, the per-dimension chart, the main shortfalls and the method. Every figure comes from
:class:`assessor_app.results.GovernmentResult` (the same object the web page and the exports
use). The printed score and rank are marked content (``AssessorGovScore``, ``AssessorGovRank``),
the government's results row is attached as ``government-results.json`` and the last page has
an empty signature box (field ``Office``), so :mod:`assessor_app.reports.government_sign` can
sign the file (PAdES) and ``assessor verify`` can check the printed figures against the data.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..fileio import atomic_write
from ..i18n import N_, status_label, translate as _, zone_label

RULE_WORDS = {"mean": N_("mean"), "median": N_("median")}
from .style import (ACCENT, GREY, PAGE_BOTTOM, PAGE_MARGIN_X, PAGE_TOP, esc, fmt_number,
                    grid_style, register_fonts, styles, text_on, zone_colour)
from .widgets import Bar
from .layout import marked

GOV_DATA_NAME = "government-results.json"
GOV_FORMAT = "assessor-government-results/1"
GOV_SCORE_TAG, GOV_RANK_TAG = "AssessorGovScore", "AssessorGovRank"
OFFICE_FIELD = "Office"
BOX_W, BOX_H = 70 * mm, 24 * mm


class _MarkedText(Flowable):
    """One line of text drawn inside ``/tag BMC ... EMC`` (what ``verify`` reads back)."""

    def __init__(self, text: str, tag: str, font: str, size: float, colour):
        super().__init__()
        self.text, self.tag, self.font, self.size, self.colour = text, tag, font, size, colour

    def wrap(self, avail_w, avail_h):
        self.width = avail_w
        return avail_w, self.size * 1.2

    def draw(self):
        canv = self.canv
        canv.setFont(self.font, self.size)
        canv.setFillColor(self.colour)
        with marked(canv, self.tag):
            canv.drawString(0, self.size * 0.25, self.text)


class _SignatureBox(Flowable):
    """An empty framed box for the office's signature; records where it landed in ``boxes``."""

    def __init__(self, label: str, boxes: dict):
        super().__init__()
        self.label, self.boxes = label, boxes

    def wrap(self, avail_w, avail_h):
        return BOX_W, BOX_H + 12

    def draw(self):
        canv = self.canv
        canv.setFont("DejaVuSans", 7.5)
        canv.setFillColor(GREY)
        canv.drawString(0, BOX_H + 4, self.label)
        canv.setStrokeColor(ACCENT)
        canv.rect(0, 0, BOX_W, BOX_H)
        x, y = canv.absolutePosition(0, 0)
        self.boxes[OFFICE_FIELD] = (canv.getPageNumber() - 1, (x, y, x + BOX_W, y + BOX_H))


def _band_words(g, template, lang) -> str:
    if g.band is None:
        return _("no score", lang)
    band = next((b for b in template.bands if b.id == g.band.id), None)
    label = band.label.get(lang) if band else g.band.label
    return f"{g.band.id} · {label} ({zone_label(g.band.zone, lang)})"


def government_flowables(g, rnd: dict, template, lang: str, trend=(), width=None,
                         boxes: dict | None = None) -> list:
    s = styles()
    width = width or (A4[0] - 2 * PAGE_MARGIN_X)
    out = [Paragraph(esc(_("Results of {round}", lang).format(round=rnd["name"])), s["subtitle"]),
           Paragraph(esc(g.government.name), s["title"]),
           Paragraph(esc(f"{g.government.category} · {g.government.province or '-'}"), s["subtitle"]),
           Spacer(1, 6 * mm)]
    zone = g.band.zone if g.band else None
    rank = (_("rank {rank} of {of} ({category})", lang).format(rank=g.rank, of=g.of,
                                                                category=g.government.category)
            if g.rank else _("not ranked", lang))
    big = ParagraphStyle("big", s["value"], fontSize=28, leading=32, textColor=text_on(zone))
    badge = Table([[_MarkedText(fmt_number(g.score, lang), GOV_SCORE_TAG, "DejaVuSans-Bold", 28,
                                text_on(zone)),
                    [Paragraph(esc(_band_words(g, template, lang)), s["value"]),
                     _MarkedText(rank, GOV_RANK_TAG, "DejaVuSans", s["value"].fontSize,
                                 s["value"].textColor)]]],
                  colWidths=[55 * mm, width - 55 * mm], rowHeights=[26 * mm])
    badge.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, 0), zone_colour(zone)),
                               ("TEXTCOLOR", (0, 0), (0, 0), text_on(zone)),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                               ("BOX", (0, 0), (-1, -1), 0.6, ACCENT)]))
    out += [badge, Spacer(1, 3 * mm)]
    facts = [_("Units scored: {n} of {total}", lang).format(n=g.scored_units, total=len(g.units))]
    if g.change is not None:
        facts.append(_("Change against the previous round: {change}", lang).format(
            change=("+" if g.change > 0 else "") + fmt_number(g.change, lang)))
    if trend:
        facts.append(_("Trend: {values}", lang).format(
            values=", ".join(f"{name} {fmt_number(v, lang)}" for name, v in trend)))
    out += [Paragraph(esc(f), s["body"]) for f in facts]

    out.append(Paragraph(esc(_("Units", lang)), s["h2"]))
    rows = [[Paragraph(esc(_(h, lang)), s["th"]) for h in (N_("Unit"), N_("Status"), N_("Score"))]]
    for u in g.units:
        rows.append([Paragraph(esc(u.unit.name), s["cell"]),
                     Paragraph(esc(status_label(u.status, lang) if u.status != "missing"
                               else _("Missing", lang)), s["cell"]),
                     Paragraph(esc(fmt_number(u.score, lang)), s["cell_r"])])
    t = Table(rows, colWidths=[width - 60 * mm, 35 * mm, 25 * mm], repeatRows=1)
    t.setStyle(grid_style())
    out.append(t)

    out.append(Paragraph(esc(_("Dimensions", lang)), s["h2"]))
    rows = []
    for sec in template.sections:
        value = g.dimensions.get(sec.id)
        rows.append([Paragraph(esc(sec.title.get(lang)), s["cell"]),
                     Bar(value, ACCENT, width - 85 * mm),
                     Paragraph(esc(fmt_number(value, lang)), s["cell_r"])])
    if rows:
        t = Table(rows, colWidths=[60 * mm, width - 80 * mm, 20 * mm])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out.append(t)

    out.append(Paragraph(esc(_("Main shortfalls", lang)), s["h2"]))
    if g.shortfalls:
        rows = [[Paragraph(esc(_(h, lang)), s["th"]) for h in (N_("Indicator"), N_("Failed in"))]]
        for sf in g.shortfalls:
            item = template.items.get(sf.item)
            text = f"{item.number} {item.text.get(lang)}" if item else sf.item
            rows.append([Paragraph(esc(text), s["cell"]),
                         Paragraph(esc(f"{sf.failed} / {sf.scored}"), s["cell_r"])])
        t = Table(rows, colWidths=[width - 25 * mm, 25 * mm], repeatRows=1)
        t.setStyle(grid_style())
        out.append(t)
    else:
        out.append(Paragraph(esc(_("No indicator was failed.", lang)), s["body"]))

    out.append(Paragraph(esc(_("Method", lang)), s["h2"]))
    out.append(Paragraph(esc(_(
        "A unit's score is the total of its approved assessment in the round. The government's "
        "score is the {rule} of its units' scores (a reconstruction: no source publishes the "
        "aggregation), rounded half-up to two decimals; units without an approved assessment are "
        "left out and counted as missing. The rank is inside the category: equal scores share a "
        "rank (1, 2, 2, 4). Template: {template} {version}.", lang).format(
            rule=_(RULE_WORDS.get(rnd.get("rule", "mean"), "mean"), lang), template=template.id, version=template.version)),
        s["body"]))
    if boxes is not None:
        out += [Spacer(1, 6 * mm), _SignatureBox(_("Electronic signature of the office", lang), boxes)]
    return out


def government_data(g, rnd: dict, snapshot: str | None = None) -> bytes:
    """The JSON attached to the report: the round and the government's results row."""
    import json
    body = {"format": GOV_FORMAT,
            "round": {k: rnd.get(k) for k in ("id", "name", "rule", "min_units", "template_id",
                                               "template_version", "state")},
            "snapshot": snapshot, "result": g.row()}
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def government_pdf(g, rnd: dict, template, lang: str, trend=(), snapshot: str | None = None) -> bytes:
    """The report with its attached results data and empty signature box (unsigned)."""
    register_fonts()
    buf = io.BytesIO()

    def footer(canv, doc):
        canv.saveState()
        canv.setFont("DejaVuSans", 7)
        canv.setFillColor(GREY)
        canv.drawString(PAGE_MARGIN_X, 12 * mm, f"{rnd['name']} · {g.government.name}")
        canv.drawRightString(A4[0] - PAGE_MARGIN_X, 12 * mm,
                             _("Page {n}", lang).format(n=doc.page))
        canv.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=PAGE_MARGIN_X, rightMargin=PAGE_MARGIN_X,
                            topMargin=PAGE_TOP, bottomMargin=PAGE_BOTTOM,
                            title=f"{g.government.name} - {rnd['name']}", author="Assessor")
    boxes: dict = {}
    doc.build(government_flowables(g, rnd, template, lang, trend, boxes=boxes), onFirstPage=footer,
              onLaterPages=footer)
    return _package(buf.getvalue(), government_data(g, rnd, snapshot), boxes, lang)


def _package(pdf_bytes: bytes, data: bytes, boxes: dict, lang: str) -> bytes:
    """Attach the results data and add the office's empty signature field (pikepdf)."""
    from datetime import datetime, timezone
    import pikepdf
    from pikepdf import Array, Dictionary, Name
    from .package import _attach, _signature_field
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        moment = datetime.now(timezone.utc)
        pdf.Root.AF = Array([_attach(pdf, GOV_DATA_NAME, data, "application/json",
                                     _("Results data, for verification", lang), Name.Data, moment)])
        page_ix, rect = boxes[OFFICE_FIELD]
        field = _signature_field(pdf, pdf.pages[page_ix], OFFICE_FIELD, [round(v, 2) for v in rect],
                                 lock=True, tooltip=_("Electronic signature of the office", lang))
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def write_government_pdf(path: str | Path, g, rnd: dict, template, lang: str, trend=(),
                         snapshot: str | None = None, sign=None) -> int:
    """Write the report; ``sign`` (bytes -> bytes) signs it before it is written."""
    data = government_pdf(g, rnd, template, lang, trend, snapshot)
    if sign is not None:
        data = sign(data)
    atomic_write(Path(path), data)
    return len(data)
