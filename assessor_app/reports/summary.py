"""The summary: total, grade and zone on the scale of bands, a chart of the section scores,
counts of compliant / non-compliant / N.A. items, completeness and per-sample scores."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

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

    out += total_table(ctx, width)

    samples = _sample_rows(ctx)
    if samples:
        out.append(Paragraph(esc(t("Scores per sample")), s["h2"]))
        rows = [[Paragraph(esc(t("Sample group")), s["th"]), Paragraph(esc(t("Scores")), s["th"])]]
        rows += [[Paragraph(esc(label), s["cell"]), Paragraph(esc(values), s["small"])]
                 for label, values in samples]
        st = Table(rows, colWidths=[52 * mm, width - 52 * mm], repeatRows=1)
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
    failed, with_finding = findings_coverage(ctx)
    if failed:
        lines.append(t("{failed} answers not fully compliant, {found} of them with a finding."
                       ).format(failed=failed, found=with_finding))
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
    """One row per sample group: its title and every sample's score, numbered."""
    rows = []
    for group in ctx.template.sample_groups():
        sc = ctx.result.sections[group.id]
        if not sc.per_sample:
            continue
        values = "  ".join(f"{i + 1}: {fmt_number(v, ctx.lang)}" for i, v in enumerate(sc.per_sample))
        label = f"{ctx.text(group.title)} ({ctx.text(group.sample.label)}, {len(sc.per_sample)})"
        rows.append((label, values))
    return rows


def findings_coverage(ctx) -> tuple[int, int]:
    """(answers not fully compliant, how many of them have a finding)."""
    failed = {(x.item.id, x.sample) for x in ctx.result.items.values()
              if x.relevant and x.item.scored and x.failed}
    found = {(f["item_id"], f["sample"] or 0) for f in ctx.assessment.findings}
    return len(failed), len(failed & found)


def _contributions(ctx, sections) -> list[Decimal]:
    """Each section's exact share of the total, apportioned to cents so that the printed figures
    add up to the printed total exactly (largest remainders)."""
    exact = []
    for sec in sections:
        ids = {i.id for i in sec.walk_items()}
        exact.append(sum((x.points for x in ctx.result.items.values()
                          if x.item.id in ids and x.ratio is not None), Fraction(0)))
    total = ctx.result.total or Decimal(0)
    cents = [math.floor(v * 100) for v in exact]
    remainders = sorted(range(len(exact)), key=lambda i: -(exact[i] * 100 - cents[i]))
    missing = int(total * 100) - sum(cents)
    for i in remainders[:max(0, missing)]:
        cents[i] += 1
    return [Decimal(c) / 100 for c in cents]


def total_line(ctx) -> str:
    """One line saying how the total follows from the figures printed above it."""
    t, lang, r = ctx.t, ctx.lang, ctx.result
    tops = list(ctx.template.sections)
    if r.total is None:
        return ""
    if len(tops) == 1:
        top = tops[0]
        sc = r.sections[top.id]
        values = [v for v in sc.per_sample if v is not None]
        if top.sample is not None and len(values) > 1:
            label = ctx.text(top.sample.label)
            if len(values) <= 8:
                return t("Total {total} = mean of the per-sample scores ({label}) {scores}").format(
                    total=fmt_number(r.total, lang), label=label,
                    scores=", ".join(fmt_number(v, lang) for v in values))
            return t("Total {total} = mean of the {n} per-sample scores ({label})").format(
                total=fmt_number(r.total, lang), n=len(values), label=label)
        return t("Total {total} = the score of {section}").format(
            total=fmt_number(r.total, lang), section=ctx.text(top.title))
    return t("Total {total} = the sum of the points each dimension earned (score × share)").format(
        total=fmt_number(r.total, lang))


def total_table(ctx, width) -> list:
    """How the total follows: score x share = points per dimension, adding up to the total."""
    s, t, r = styles(), ctx.t, ctx.result
    out = [Paragraph(esc(t("How the total follows")), s["h2"])]
    tops = list(ctx.template.sections)
    if r.total is not None and len(tops) > 1:
        rows = [[Paragraph(esc(t(h)), s["th"] if i == 0 else s["th_c"])
                 for i, h in enumerate(("Dimension", "Score", "Share", "Points"))]]
        for sec, points in zip(tops, _contributions(ctx, tops)):
            sc = r.sections[sec.id]
            rows.append([Paragraph(f"{esc(sec.number)} {esc(ctx.text(sec.title))}", s["cell"]),
                         Paragraph(fmt_number(sc.score, ctx.lang), s["cell_r"]),
                         Paragraph(f"{fmt_number(sc.share, ctx.lang)} %", s["cell_r"]),
                         Paragraph(fmt_number(points, ctx.lang), s["cell_r"])])
        rows.append([Paragraph(f"<b>{esc(t('Total'))}</b>", s["cell"]), "", "",
                     Paragraph(f"<b>{fmt_number(r.total, ctx.lang)}</b>", s["cell_r"])])
        table = Table(rows, colWidths=[width - 3 * 26 * mm, 26 * mm, 26 * mm, 26 * mm])
        last = len(rows) - 1
        table.setStyle(grid_style([("LINEABOVE", (0, last), (-1, last), 0.8, GREY)]))
        out.append(table)
    line = total_line(ctx)
    if line:
        out.append(Paragraph(esc(line), s["body"].clone("tl", spaceBefore=1.5 * mm)))
    return out


def _absent_rows(ctx) -> list[str]:
    lines = []
    for group in ctx.template.sample_groups():
        labels = ctx.assessment.samples.get(group.id, [])
        for i in range(len(labels)):
            if ctx.absent_reason(group.id, i) is not None:
                lines.append(f"{ctx.text(group.title)} · {ctx.sample_label(group.id, i)}")
    return lines
