"""Findings with their corrective actions, the party responsible and the due date."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Table

from .style import grid_style, esc, styles

STATUS_WORDS = {"open": "Still open", "implemented": "Implemented",
                "partly_implemented": "Partly implemented", "not_implemented": "Not implemented"}


def findings(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Findings and corrective actions")), s["h1"])]
    items = ctx.template.items
    found = ctx.assessment.findings
    from .summary import findings_coverage
    failed, with_finding = findings_coverage(ctx)
    if failed:
        out.append(Paragraph(esc(t("{failed} answers not fully compliant, {found} of them with a "
                                   "finding.").format(failed=failed, found=with_finding)),
                             s["body"].clone("fc", spaceAfter=2 * mm)))
    if not found:
        out.append(Paragraph(esc(t("No findings were recorded.")), s["body"]))
        return out
    order = {item.id: i for i, item in enumerate(ctx.template.walk_items())}
    found = sorted(found, key=lambda f: (order.get(f["item_id"], 1 << 30), f["sample"] or 0,
                                         f["created_at"]))
    cols = [10 * mm, 17 * mm, None, None, 26 * mm, 21 * mm, 22 * mm]
    rest = (width - sum(c for c in cols if c)) / 2
    cols = [c if c else rest for c in cols]
    head = ["No.", "Item", "Finding", "Corrective action", "Responsible", "Due date", "Status"]
    rows = [[Paragraph(esc(t(h)), s["th"]) for h in head]]
    for n, f in enumerate(found, 1):
        item = items.get(f["item_id"]) if f["item_id"] else None
        where = item.number if item else "–"
        text, action = ctx.finding_text(f)
        if item and item.sample_group:
            where += f"<br/><font size='6.5' color='#666666'>" \
                     f"{esc(ctx.sample_label(item.sample_group, f['sample'] or 0))}</font>"
        rows.append([
            Paragraph(str(n), s["cell"]), Paragraph(where, s["cell"]),
            Paragraph(esc(text), s["cell"]), Paragraph(esc(action or "–"), s["cell"]),
            Paragraph(esc(f["responsible"] or "–"), s["cell"]),
            Paragraph(esc(ctx.long_date(f["due_date"]) if f["due_date"] else "–"), s["cell"]),
            Paragraph(esc(t(STATUS_WORDS.get(f["status"] or "open", f["status"]))), s["cell"]),
        ])
    table = Table(rows, colWidths=cols, repeatRows=1, splitInRow=0)
    table.setStyle(grid_style())
    out.append(table)
    return out
