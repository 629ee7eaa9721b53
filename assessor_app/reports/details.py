"""Detailed results: for each section (and each sample of a sample group) a table of its items:
number, indicator (with legal reference and the inspector's note beneath), the answer as words in
the app's colours, the points earned of those possible, and the photo references."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Table

from ..scoring import is_answered
from ..templates.model import NA
from .style import (grid_style, AMBER_TEXT, GREEN, GREY, RED, esc, fmt_number, styles)

LONG_ANSWER = 60   # characters: longer answers print under the indicator, full width
COLS = (14 * mm, None, 29 * mm, 26 * mm, 21 * mm)


def answer_words(ctx, item, value) -> tuple[str, object]:
    """``("Ya", GREEN)``: the answer as the app shows it, with its colour."""
    t = ctx.t
    if not is_answered(value):
        return t("not answered"), GREY
    if value == NA:
        return t("N.A."), GREY
    kind = item.type
    if kind in ("yes_no", "yes_no_na"):
        return (t("Yes"), GREEN) if value == "yes" else (t("No"), RED)
    if kind in ("scale", "choice"):
        opt = item.option(value)
        label = ctx.text(opt.label) if opt else str(value)
        text = f"{value} – {label}" if kind == "scale" else label
        return text, _ratio_colour(item, value)
    if kind == "multi_choice":
        chosen = value if isinstance(value, list) else [value]
        labels = [ctx.text(o.label) if (o := item.option(v)) else str(v) for v in chosen]
        return ", ".join(labels), _ratio_colour(item, value)
    if kind == "number":
        text = fmt_number(value, ctx.lang, 0 if float(value).is_integer() else 2)
        if item.unit:
            text += f" {item.unit}"
        return text, _ratio_colour(item, value)
    if kind == "date":
        return ctx.long_date(value), None
    if kind == "location" and isinstance(value, dict):
        return f"{value.get('lat', 0):.5f}, {value.get('lon', 0):.5f}", None
    return str(value), None


def _ratio_colour(item, value):
    from ..scoring import item_ratio
    ratio = item_ratio(item, value)
    if ratio is None:
        return None
    return GREEN if ratio == 1 else RED if ratio == 0 else AMBER_TEXT


def details(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Detailed results")), s["h1"])]
    photo_refs: dict[tuple[str, int], list[str]] = {}
    by_sha_sample = {}
    for ev in ctx.assessment.evidence:
        by_sha_sample.setdefault(ev["sha256"], []).append((ev["item_id"], ev["sample"]))
    for photo in ctx.photos:
        for key in by_sha_sample.get(photo.sha256, []):
            refs = photo_refs.setdefault(key, [])
            if f"F{photo.number}" not in refs:
                refs.append(f"F{photo.number}")
    for section in ctx.template.sections:
        out += _section(ctx, section, width, photo_refs, level=0)
    return out


def _section(ctx, section, width, photo_refs, level) -> list:
    s = styles()
    score = ctx.result.sections[section.id].score
    heading = f"{esc(section.number)} {esc(ctx.text(section.title))}"
    heading += f" <font color='#666666'>— {fmt_number(score, ctx.lang)}</font>"
    out = [Paragraph(heading, s["h2"] if level == 0 else s["h3"])]
    if section.items:
        group = section.items[0].sample_group
        count = len(ctx.assessment.samples.get(group, [])) if group else 1
        for sample in range(count):
            if group:
                out.append(Paragraph(esc(ctx.sample_label(group, sample)), s["h3"]))
            out.append(_table(ctx, section, sample, width, photo_refs))
    for sub in section.sections:
        out += _section(ctx, sub, width, photo_refs, level + 1)
    return out


def _table(ctx, section, sample, width, photo_refs) -> Table:
    s, t = styles(), ctx.t
    cols = list(COLS)
    cols[1] = width - sum(c for c in cols if c)
    rows = [[Paragraph(esc(t("No.")), s["th"]), Paragraph(esc(t("Indicator")), s["th"]),
             Paragraph(esc(t("Answer")), s["th"]), Paragraph(esc(t("Points")), s["th_c"]),
             Paragraph(esc(t("Evidence")), s["th"])]]
    cmds = []
    for item in section.items:
        key = (item.id, sample)
        x = ctx.result.items.get(key)
        value = ctx.assessment.answers.get(key)
        cell = [Paragraph(esc(ctx.text(item.text)), s["cell"])]
        if item.legal:
            cell.append(Paragraph(esc(item.legal), s["legal"]))
        if x is not None and not x.relevant:
            answer, colour = t("not applicable (condition)"), GREY
        else:
            answer, colour = answer_words(ctx, item, value)
        if len(answer) > LONG_ANSWER:
            cell.append(Paragraph(f"<b>{esc(t('Answer'))}:</b> {esc(answer)}", s["cell"]))
            answer, colour = t("see indicator column"), GREY
        note = ctx.assessment.item_notes.get(key)
        if note:
            cell.append(Paragraph(f"{esc(t('Note'))}: {esc(note)}", s["note"]))
        style = s["cell"] if colour is None else s["cell"].clone("a", textColor=colour,
                                                                   fontName="DejaVuSans-Bold")
        points = ""
        if x is not None and item.scored and x.relevant:
            if x.ratio is None:
                points = "–"
            else:
                points = f"{fmt_number(x.points, ctx.lang)} / {fmt_number(x.max_points, ctx.lang)}"
        rows.append([Paragraph(esc(item.number), s["cell"]), cell, Paragraph(esc(answer), style),
                     Paragraph(points, s["cell_c"]),
                     Paragraph(esc(", ".join(photo_refs.get(key, []))), s["cell"])])
    table = Table(rows, colWidths=cols, repeatRows=1, splitInRow=1)
    table.setStyle(grid_style(cmds))
    return table
