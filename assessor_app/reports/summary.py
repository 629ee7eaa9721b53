"""The summary: total, grade and zone on the scale of bands, a chart of the section scores,
counts of compliant / non-compliant / N.A. items, completeness and per-sample scores."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from .style import (grid_style, AMBER_TEXT, GREEN, GREY, RED, esc, fmt_number, styles,
                    zone_colour)
from .widgets import Bar, BandScale, ScoreBadge

COUNT_ROWS = (("compliant", "Compliant", GREEN), ("partial", "Partly compliant", AMBER_TEXT),
              ("non_compliant", "Non-compliant", RED), ("na", "N.A.", GREY),
              ("unanswered", "Not answered", GREY))


def chart_sections(template):
    """The top-level sections (dimensions); if there is only one, its sub-sections."""
    secs = list(template.sections)
    if len(secs) == 1 and secs[0].sections:
        return list(secs[0].sections)
    return secs


def summary(ctx, width: float) -> list:
    s, t, r = styles(), ctx.t, ctx.result
    out = [PageBreak(), Paragraph(esc(t("Summary")), s["h1"])]
    counts = r.counts()
    rows = [[Paragraph(esc(t("Items")), s["th"]), Paragraph(esc(t("Count")), s["th_c"])]]
    for key, label, colour in COUNT_ROWS:
        if key in ("partial", "unanswered") and not counts.get(key):
            continue
        style = s["cell"].clone("c", textColor=colour)
        rows.append([Paragraph(esc(t(label)), style), Paragraph(str(counts.get(key, 0)), s["cell_c"])])
    count_table = Table(rows, colWidths=[46 * mm, 18 * mm])
    count_table.setStyle(grid_style())
    badge = ScoreBadge(ctx, width=88 * mm, height=34 * mm)
    top = Table([[badge, "", count_table]], colWidths=[88 * mm, width - 88 * mm - 64 * mm, 64 * mm])
    top.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out += [top, Spacer(1, 6 * mm),
            Paragraph(esc(t("Position on the scale of grades")), s["h2"]),
            BandScale(ctx, width)]

    out.append(Paragraph(esc(t("Scores per dimension")), s["h2"]))
    bar_w = width - 78 * mm - 26 * mm - 12
    chart = [[Paragraph(esc(t("Dimension")), s["th"]), Paragraph("0 – 100", s["th_c"]),
              Paragraph(esc(t("Score")), s["th_c"])]]
    for sec in chart_sections(ctx.template):
        sc = r.sections[sec.id]
        band = ctx.template.band_for(sc.score)
        weight = ""
        if sec.weight is not None:
            weight = f" <font color='#666666' size='7'>({t('weight')} {fmt_number(sc.share, ctx.lang)}%)</font>"
        chart.append([Paragraph(f"{esc(sec.number)} {esc(ctx.text(sec.title))}{weight}", s["cell"]),
                      Bar(sc.score, zone_colour(band.zone if band else None), bar_w),
                      Paragraph(fmt_number(sc.score, ctx.lang), s["cell_r"])])
    table = Table(chart, colWidths=[78 * mm, bar_w + 12, 26 * mm], repeatRows=1)
    table.setStyle(grid_style(extra=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    out.append(table)

    samples = _sample_rows(ctx)
    if samples:
        out.append(Paragraph(esc(t("Scores per sample")), s["h2"]))
        rows = [[Paragraph(esc(t("Sample")), s["th"]), Paragraph(esc(t("Score")), s["th_c"])]]
        rows += [[Paragraph(esc(label), s["cell"]), Paragraph(fmt_number(v, ctx.lang), s["cell_r"])]
                 for label, v in samples]
        st = Table(rows, colWidths=[width - 30 * mm, 30 * mm], repeatRows=1)
        st.setStyle(grid_style())
        out.append(st)

    absent = _absent_rows(ctx)
    if absent:
        out.append(Paragraph(esc(t("Samples not interviewed / not available (left out of the "
                                   "averages and the completeness check)")), s["h2"]))
        out += [Paragraph(esc(line), s["body"]) for line in absent]

    c = r.completeness
    out.append(Paragraph(esc(t("Completeness")), s["h2"]))
    lines = [t("{answered} of {total} applicable items answered.").format(
        answered=c.answered, total=c.total)]
    if c.required_missing:
        lines.append(t("{n} required items are not answered.").format(n=len(c.required_missing)))
    if c.evidence_missing:
        lines.append(t("{n} items lack the photos the template asks for.").format(
            n=len(c.evidence_missing)))
    if ctx.draft:
        lines.append(t("The assessment is not completed: this report is a draft."))
    for line in lines:
        out.append(Paragraph(esc(line), s["body"]))
    return out


def _sample_rows(ctx):
    rows = []
    for group in ctx.template.sample_groups():
        sc = ctx.result.sections[group.id]
        for i, value in enumerate(sc.per_sample):
            rows.append((f"{ctx.text(group.title)} · {ctx.sample_label(group.id, i)}", value))
    return rows


def _absent_rows(ctx) -> list[str]:
    lines = []
    for group in ctx.template.sample_groups():
        labels = ctx.assessment.samples.get(group.id, [])
        for i in range(len(labels)):
            if ctx.absent_reason(group.id, i) is not None:
                lines.append(f"{ctx.text(group.title)} · {ctx.sample_label(group.id, i)}")
    return lines
