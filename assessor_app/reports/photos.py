"""Photo appendix: two photos per row, each with its number, caption, item, time and short hash."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Paragraph, Spacer, Table, TableStyle

from .style import RULE, esc, styles

PER_ROW = 2
PHOTO_H = 62 * mm


def photos(ctx, width: float, images: dict[str, bytes]) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Photo appendix")), s["h1"])]
    if not ctx.photos:
        out.append(Paragraph(esc(t("No photos were attached.")), s["body"]))
        return out
    col = width / PER_ROW
    box_w = col - 6 * mm
    cells = []
    for p in ctx.photos:
        w, h = p.width or 4, p.height or 3
        scale = min(box_w / w, PHOTO_H / h)
        img = Image(io.BytesIO(images[p.sha256]), w * scale, h * scale)
        img.hAlign = "CENTER"
        title = f"<b>F{p.number}</b>"
        if p.caption:
            title += f" · {esc(p.caption)}"
        where = f"{esc(t('Item'))} {esc(p.item_number)}"
        if p.sample_label:
            where += f" · {esc(p.sample_label)}"
        meta = f"{esc(t('Taken'))} {esc(ctx.date_time(p.taken_at)) if p.taken_at else esc(t('unknown'))}" \
               f" · SHA-256 {p.sha256[:12]}"
        cells.append([Table([[img]], colWidths=[box_w], rowHeights=[PHOTO_H + 2],
                            style=[("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
                      Spacer(1, 1.5 * mm), Paragraph(title, s["cell"]),
                      Paragraph(where + "<br/>" + esc(p.item_text), s["small"]),
                      Paragraph(meta, s["legal"])])
    rows = [cells[i:i + PER_ROW] for i in range(0, len(cells), PER_ROW)]
    if len(rows[-1]) < PER_ROW:
        rows[-1] += [""] * (PER_ROW - len(rows[-1]))
    table = Table(rows, colWidths=[col] * PER_ROW)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                               ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm)]))
    out.append(table)
    return out
