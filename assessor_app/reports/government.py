"""A government's results report (PDF) for one round, in the assessment report's look.

Cover block (score in its zone colour, grade in words, rank inside the category), the units
table, the per-dimension chart, the main shortfalls and the method. Every figure comes from
:class:`assessor_app.results.GovernmentResult` (the same object the web page and the exports
use). Not signed here: sign the file with ``assessor sign`` like any report if needed.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..fileio import atomic_write
from ..i18n import N_, status_label, translate as _, zone_label

RULE_WORDS = {"mean": N_("mean"), "median": N_("median")}
from .style import (ACCENT, GREY, PAGE_BOTTOM, PAGE_MARGIN_X, PAGE_TOP, esc, fmt_number,
                    grid_style, register_fonts, styles, text_on, zone_colour)
from .widgets import Bar


def _band_words(g, template, lang) -> str:
    if g.band is None:
        return _("no score", lang)
    band = next((b for b in template.bands if b.id == g.band.id), None)
    label = band.label.get(lang) if band else g.band.label
    return f"{g.band.id} · {label} ({zone_label(g.band.zone, lang)})"


def government_flowables(g, rnd: dict, template, lang: str, trend=(), width=None) -> list:
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
    badge = Table([[Paragraph(esc(fmt_number(g.score, lang)), big),
                    Paragraph(esc(_band_words(g, template, lang)) + "<br/>" + esc(rank), s["value"])]],
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
    return out


def government_pdf(g, rnd: dict, template, lang: str, trend=()) -> bytes:
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
    doc.build(government_flowables(g, rnd, template, lang, trend), onFirstPage=footer,
              onLaterPages=footer)
    return buf.getvalue()


def write_government_pdf(path: str | Path, g, rnd: dict, template, lang: str, trend=()) -> int:
    data = government_pdf(g, rnd, template, lang, trend)
    atomic_write(Path(path), data)
    return len(data)
