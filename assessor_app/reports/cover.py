"""The cover: organisation, title, the unit, the visit, the people, the score badge, the QR code."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle

from .layout import body_pages
from .style import ACCENT, RULE, esc, styles
from .widgets import QRBlock, ScoreBadge

STATUS_WORDS = {"draft": "Draft", "completed": "Completed", "submitted": "Submitted",
                "returned": "Returned for correction", "approved": "Approved"}


def cover(ctx, width: float) -> list:
    s, t, a = styles(), ctx.t, ctx.assessment
    out = []
    org = Paragraph(esc(ctx.organisation), s["h1"]) if ctx.organisation else Spacer(1, 1)
    if ctx.logo_path:
        head = Table([[Image(str(ctx.logo_path), 18 * mm, 18 * mm, kind="proportional"), org]],
                     colWidths=[22 * mm, width - 22 * mm])
        head.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        out.append(head)
    else:
        out.append(org)
    out += [Spacer(1, 4 * mm), _rule(width), Spacer(1, 8 * mm),
            Paragraph(esc(t("Assessment report")), s["title"]), Spacer(1, 2 * mm),
            Paragraph(esc(ctx.text(ctx.template.title)), s["subtitle"]), Spacer(1, 10 * mm),
            Paragraph(esc(a.unit.get("unit") or ""), s["unit"])]
    if a.unit.get("agency"):
        out.append(Paragraph(esc(a.unit["agency"]), s["value"]))
    if a.unit.get("address"):
        out.append(Paragraph(esc(a.unit["address"]), s["body"]))
    out.append(Spacer(1, 8 * mm))

    rows = [
        (t("Visit dates"), ", ".join(ctx.long_date(d) for d in a.visit_dates) or "-"),
        (t("Inspectors"), ", ".join(str(p) for p in a.inspectors) or "-"),
        (t("Template"), f"{ctx.text(ctx.template.title)} ({ctx.template.id}, "
                        f"{t('version')} {ctx.template.version})"),
        (t("Report No."), ctx.report_no),
        (t("Status"), t(STATUS_WORDS.get(a.status, a.status))),
        (t("Generated"), ctx.date_time(ctx.generated_at.astimezone()) ),
    ]
    info = Table([[Paragraph(esc(k), s["label"]), Paragraph(esc(v), s["value"])] for k, v in rows],
                 colWidths=[38 * mm, width - 38 * mm])
    info.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                              ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE)]))
    out += [info, Spacer(1, 12 * mm)]

    qr = QRBlock(ctx)
    badge = ScoreBadge(ctx, width=min(95 * mm, width - qr.width - 10 * mm), height=qr.height)
    bottom = Table([[badge, "", qr]], colWidths=[badge.width, width - badge.width - qr.width, qr.width])
    bottom.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out += [bottom, Spacer(1, 6 * mm),
            Paragraph(esc(t("The QR code carries the report number and the SHA-256 fingerprint of "
                            "the assessment data embedded in this PDF, so a printed copy can be "
                            "matched to its electronic original.")), s["small"]),
            body_pages()]
    return out


def _rule(width):
    line = Table([[""]], colWidths=[width], rowHeights=[1])
    line.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT)]))
    return line
