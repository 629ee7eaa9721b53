"""Detailed results (full report only), compact:

- a section filled once: one table of its items (number, indicator with legal reference and the
  inspector's note beneath, the answer as words in the app's colours, the points earned of those
  possible, the photo references), closed by the section's points in the total;
- a section filled once per sample (products, staff, service users): the samples side by side,
  as many per table as fit, each answer short (Ya / Tidak, the scale point with its meaning under
  the indicator), the per-sample score in the last row, notes listed under the table, and one
  line saying how the section's score follows from the per-sample scores.

Rows never split across pages (a row that does not fit moves whole to the next page); headers
repeat on every page a table continues on.
"""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Table

from ..scoring import is_answered
from ..templates.model import NA
from .style import (grid_style, AMBER_TEXT, BOLD, GREEN, GREY, RED, esc, fmt_number, styles)

LONG_ANSWER = 240   # characters: a longer (free-text) answer prints under the indicator
NO_W, ANSWER_W, POINTS_W, PHOTO_W = 13 * mm, 45 * mm, 20 * mm, 15 * mm
INDICATOR_MIN = 56 * mm          # in a table of samples side by side
SAMPLE_MIN, SAMPLE_TEXT_MIN = 10.5 * mm, 21 * mm
FREE_TYPES = ("text", "date", "location")   # listed under the table of samples, not in a column
SHORT_TYPES = ("yes_no", "yes_no_na", "scale", "number", "date")


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
        text = f"{value} – {label}" if kind == "scale" and label != str(value) else label
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


def short_answer(ctx, item, value) -> tuple[str, object]:
    """The answer in a narrow column: the scale point alone (its meaning is under the
    indicator), the words otherwise."""
    if item.type == "scale" and is_answered(value) and value != NA:
        return str(value), _ratio_colour(item, value)
    return answer_words(ctx, item, value)


def _ratio_colour(item, value):
    from ..scoring import item_ratio
    ratio = item_ratio(item, value)
    if ratio is None:
        return None
    return GREEN if ratio == 1 else RED if ratio == 0 else AMBER_TEXT


def photo_refs(ctx) -> dict[tuple[str, int], list[str]]:
    """``(item id, sample) -> ["F3", ...]``: the photos attached to that very answer (by the
    attachment, not by the image: one image attached to two samples is listed under each)."""
    refs: dict[tuple[str, int], list[str]] = {}
    for photo in ctx.photos:
        refs.setdefault((photo.item_id, photo.sample), []).append(f"F{photo.number}")
    return refs


def details(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Detailed results")), s["h1"])]
    refs = photo_refs(ctx)
    for section in ctx.template.sections:
        out += _section(ctx, section, width, refs, level=0)
    return out


def _heading(style):
    return style.clone(style.name + "_free", keepWithNext=0)


def _section(ctx, section, width, refs, level) -> list:
    s = styles()
    sc = ctx.result.sections[section.id]
    heading = f"{esc(section.number)} {esc(ctx.text(section.title))}"
    heading += f" <font color='#666666'>— {fmt_number(sc.score, ctx.lang)}</font>"
    # a heading never ends a page: it starts the next one unless a few rows fit under it
    out = [CondPageBreak(32 * mm), Paragraph(heading, _heading(s["h2"] if level == 0 else s["h3"]))]
    line = score_line(ctx, section)
    if line:
        out.append(Paragraph(esc(line), s["small"].clone("why", textColor=GREY, spaceAfter=1.5 * mm)))
    if section.items:
        group = section.items[0].sample_group
        if group:
            out += _sample_tables(ctx, section, group, width, refs)
        else:
            out.append(_table(ctx, section, width, refs))
    for sub in section.sections:
        out += _section(ctx, sub, width, refs, level + 1)
    return out


def _list(values: list[str], lang: str) -> str:
    return ", ".join(values[:-1]) + (" " + ("dan" if lang == "id" else "and") + " " + values[-1]
                                     if len(values) > 1 else values[-1] if values else "")


def score_line(ctx, section) -> str:
    """How a section filled per sample gets its score, in one line (empty for other sections)."""
    sc = ctx.result.sections[section.id]
    scores = [v for v in sc.per_sample if v is not None]
    if len(sc.per_sample) < 2 or not scores or sc.score is None:
        return ""
    t, lang = ctx.t, ctx.lang
    if len(scores) <= 8:
        return t("Score {score} = mean of the per-sample scores {scores}").format(
            score=fmt_number(sc.score, lang),
            scores=_list([fmt_number(v, lang) for v in scores], lang))
    return t("Score {score} = mean of the {n} per-sample scores (lowest {low}, highest {high})"
             ).format(score=fmt_number(sc.score, lang), n=len(scores),
                      low=fmt_number(min(scores), lang), high=fmt_number(max(scores), lang))


def _indicator_cell(ctx, item, legend: bool) -> list:
    s = styles()
    cell = [Paragraph(esc(ctx.text(item.text)), s["cell"])]
    if item.legal:
        cell.append(Paragraph(esc(item.legal), s["legal"]))
    if legend and item.type == "scale" and item.options:
        points = " · ".join(f"<b>{esc(o.value)}</b> {esc(ctx.text(o.label))}" for o in item.options
                            if ctx.text(o.label) != str(o.value))
        if points:
            cell.append(Paragraph(points, s["legal"]))
    return cell


def _points(ctx, x, item) -> str:
    if x is None or not item.scored or not x.relevant:
        return ""
    if x.ratio is None:
        return "–"
    return f"{fmt_number(x.points, ctx.lang)} / {fmt_number(x.max_points, ctx.lang)}"


def _table(ctx, section, width, refs) -> Table:
    """A section filled once: one row per item."""
    s, t = styles(), ctx.t
    cols = [NO_W, width - NO_W - ANSWER_W - POINTS_W - PHOTO_W, ANSWER_W, POINTS_W, PHOTO_W]
    rows = [[Paragraph(esc(t("No.")), s["th"]), Paragraph(esc(t("Indicator")), s["th"]),
             Paragraph(esc(t("Answer")), s["th"]), Paragraph(esc(t("Points")), s["th_c"]),
             Paragraph(esc(t("Photos")), s["th"])]]
    for item in section.items:
        key = (item.id, 0)
        x = ctx.result.items.get(key)
        value = ctx.assessment.answers.get(key)
        cell = _indicator_cell(ctx, item, legend=False)
        if x is not None and not x.relevant:
            answer, colour = t("not applicable (condition)"), GREY
        else:
            answer, colour = answer_words(ctx, item, value)
        if len(answer) > LONG_ANSWER:
            cell.append(Paragraph(f"<b>{esc(t('Answer'))}:</b> {esc(answer)}", s["cell"]))
            answer, colour = t("(under the indicator)"), GREY
        note = ctx.assessment.item_notes.get(key)
        if note:
            cell.append(Paragraph(f"{esc(t('Note'))}: {esc(note)}", s["note"]))
        style = s["answer"] if colour is None else s["answer"].clone("a", textColor=colour,
                                                                     fontName=BOLD)
        rows.append([Paragraph(esc(item.number), s["cell"]), cell, Paragraph(esc(answer), style),
                     Paragraph(_points(ctx, x, item), s["points"]),
                     Paragraph(esc(", ".join(refs.get(key, []))), s["small"])])
    sc = ctx.result.sections[section.id]
    extra = []
    if any(item.scored for item in section.items) and sc.score is not None:
        rows.append(["", Paragraph(esc(t("Points of this section in the total")), s["cell_b"]), "",
                     Paragraph(f"<b>{fmt_number(sc.points, ctx.lang)} / "
                               f"{fmt_number(sc.share, ctx.lang)}</b>", s["points"]), ""])
        last = len(rows) - 1
        extra = [("SPAN", (1, last), (2, last)), ("SPAN", (3, last), (4, last)),
                 ("LINEABOVE", (0, last), (-1, last), 0.8, GREY)]
    extra += [("LEFTPADDING", (3, 0), (4, -1), 3), ("RIGHTPADDING", (3, 0), (4, -1), 3)]
    table = Table(rows, colWidths=cols, repeatRows=1, splitInRow=0)
    table.setStyle(grid_style(extra))
    return table


def _sample_tables(ctx, section, group, width, refs) -> list:
    """A section filled per sample: the samples side by side, as many per table as fit."""
    s, t = styles(), ctx.t
    count = len(ctx.assessment.samples.get(group, [])) if group else 1
    if count == 0:
        return [Paragraph(esc(t("No samples were recorded.")), s["body"])]
    in_columns = [item for item in section.items if item.type not in FREE_TYPES + ("signature",)]
    listed = [item for item in section.items if item.type in FREE_TYPES]
    wide = any(item.type not in SHORT_TYPES for item in in_columns if item.type != "photo")
    min_w = SAMPLE_TEXT_MIN if wide else SAMPLE_MIN
    fit = max(1, int((width - NO_W - INDICATOR_MIN) / min_w + 1e-6))
    tables = math.ceil(count / fit)
    per = math.ceil(count / tables)
    out = []
    notes: list[str] = []
    for n, start in enumerate(range(0, count, per)):
        samples = list(range(start, min(count, start + per)))
        out.append(_sample_table(ctx, section, group, samples, width, refs, notes, in_columns,
                                 first=(n == 0)))
    for item in listed:
        out.append(Paragraph(_listed_answers(ctx, item, group, count), s["small"].clone(
            "la", spaceBefore=1.5 * mm)))
    if notes:
        out.append(Paragraph(f"<b>{esc(t('Notes'))}</b>", s["small"].clone("nh", spaceBefore=2 * mm)))
        out += [Paragraph(n, s["note"]) for n in notes]
    return out


def _sample_header(ctx, group, sample) -> str:
    name = ctx.sample_name(group, sample)
    head = f"{sample + 1}"
    if name:
        head += f"<br/><font size='6'>{esc(name)}</font>"
    return head


def _listed_answers(ctx, item, group, count) -> str:
    """``3.1 Service used: KTP-el (1-8, 10); Akta (9)``: a free-text item of a sample group, the
    samples giving the same answer grouped."""
    t = ctx.t
    by_value: dict[str, list[int]] = {}
    for i in range(count):
        value = ctx.assessment.answers.get((item.id, i))
        text = answer_words(ctx, item, value)[0] if is_answered(value) else t("not answered")
        by_value.setdefault(text, []).append(i + 1)
    parts = []
    for text, numbers in by_value.items():
        where = t("all") if len(numbers) == count and count > 1 else _ranges(numbers)
        parts.append(f"{esc(text)} <font color='#666666'>({esc(where)})</font>")
    return f"<b>{esc(item.number)}</b> {esc(ctx.text(item.text))}: " + "; ".join(parts)


def _ranges(numbers: list[int]) -> str:
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(out)


def _sample_table(ctx, section, group, samples, width, refs, notes, items, first) -> Table:
    s, t = styles(), ctx.t
    spec = ctx.template.section_index[group].sample
    label = ctx.text(spec.label)
    sample_w = min(40 * mm, (width - NO_W - INDICATOR_MIN) / len(samples))
    indicator_w = width - NO_W - sample_w * len(samples)
    cols = [NO_W, indicator_w] + [sample_w] * len(samples)
    head = [Paragraph(esc(t("No.")), s["th"]),
            Paragraph(f"{esc(t('Indicator'))}<br/><font size='6.5'>{esc(label)} "
                      f"{samples[0] + 1}–{samples[-1] + 1} →</font>" if len(samples) > 1 else
                      f"{esc(t('Indicator'))}<br/><font size='6.5'>{esc(label)} →</font>", s["th"])]
    head += [Paragraph(_sample_header(ctx, group, i), s["th_c"]) for i in samples]
    rows = [head]
    for item in items:
        if first:
            indicator = _indicator_cell(ctx, item, legend=True)
        else:   # the meaning of the scale points is in the first table of this section
            indicator = [Paragraph(esc(ctx.text(item.text)), s["cell"])]
        row = [Paragraph(esc(item.number), s["cell"]), indicator]
        for i in samples:
            key = (item.id, i)
            x = ctx.result.items.get(key)
            value = ctx.assessment.answers.get(key)
            if x is not None and not x.relevant:
                answer, colour = "–", GREY
            else:
                answer, colour = short_answer(ctx, item, value)
                if not is_answered(value):
                    answer = "–"
            free = item.type not in SHORT_TYPES and item.type not in ("yes_no", "yes_no_na")
            base = s["sample_text"] if free else s["sample"]
            style = base if colour is None else base.clone("c", textColor=colour, fontName=BOLD)
            cell = [Paragraph(esc(answer), style)]
            extra = list(refs.get(key, []))
            note = ctx.assessment.item_notes.get(key)
            if note:
                notes.append(f"{esc(item.number)} · {esc(ctx.sample_label(group, i))}: {esc(note)}")
                extra.append(f"{t('Note')} {len(notes)}")
            if extra:
                cell.append(Paragraph(esc(", ".join(extra)), s["sample_ref"]))
            row.append(cell)
        rows.append(row)
    sc = ctx.result.sections[section.id]
    score_row = ["", Paragraph(esc(t("Score per sample")), s["cell_b"])]
    for i in samples:
        value = sc.per_sample[i] if i < len(sc.per_sample) else None
        score_row.append(Paragraph(f"<b>{fmt_number(value, ctx.lang) if value is not None else '–'}</b>",
                                   s["sample_score"]))
    rows.append(score_row)
    last = len(rows) - 1
    table = Table(rows, colWidths=cols, repeatRows=1, splitInRow=0)
    table.setStyle(grid_style([("LINEABOVE", (0, last), (-1, last), 0.8, GREY),
                               ("LEFTPADDING", (2, 0), (-1, -1), 1),
                               ("RIGHTPADDING", (2, 0), (-1, -1), 1)]))
    return table
