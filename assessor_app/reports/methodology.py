"""A short methodology note: how the score and the bands work, and how to verify the file."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from ..i18n import band_short
from .style import RULE, esc, fmt_number, styles, text_on, zone_colour

PARAGRAPHS = (
    "Each indicator is answered on the spot. A yes earns the indicator's full points and a no "
    "earns none; a point on a scale earns its share of the top of the scale; a number earns its "
    "points when it lies inside the range the template sets. Indicators answered N.A., not "
    "answered, or not applicable because of an earlier answer leave the calculation: they count "
    "neither for nor against the unit.",
    "A section's score is the points earned over the points possible, 0 to 100. When the "
    "template gives the dimensions fixed weights, the total is the weighted sum of the dimension "
    "scores; otherwise every indicator weighs its points. A section filled once per sample (a "
    "service product, a member of staff, a service user) is scored per sample and averaged.",
    "The arithmetic is exact; each figure is rounded once, half up, to two decimals, and the "
    "grade is looked up on the rounded total in the bands below.",
    "This PDF embeds the assessment data (answers, notes, findings, photo fingerprints) as an "
    "attached JSON file. 'assessor verify' checks each electronic signature against the "
    "organisation's root certificate and its revocation list, scores the embedded data again, "
    "and checks that the printed score and the QR code match it.",
)


def methodology(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Methodology")), s["h1"])]
    if ctx.template.description:
        out.append(Paragraph(esc(ctx.text(ctx.template.description)), s["body"]))
    for text in PARAGRAPHS:
        out.append(Paragraph(esc(t(text)), s["body"].clone("m", spaceBefore=2.5 * mm)))
    out.append(Paragraph(esc(t("Grades")), s["h2"]))
    rows = [[Paragraph(esc(t(h)), s["th"]) for h in ("Grade", "Label", "From", "To")]]
    cmds = []
    for i, band in enumerate(sorted(ctx.template.bands, key=lambda b: -b.min), 1):
        ink = s["cell"].clone("b", textColor=text_on(band.zone), fontName="DejaVuSans-Bold")
        rows.append([Paragraph(esc(band_short(band, ctx.lang)), ink), Paragraph(esc(band.label.get(ctx.lang)), s["cell"]),
                     Paragraph(fmt_number(band.min, ctx.lang), s["cell_r"]),
                     Paragraph(fmt_number(band.max, ctx.lang), s["cell_r"])])
        cmds.append(("BACKGROUND", (0, i), (0, i), zone_colour(band.zone)))
    table = Table(rows, colWidths=[22 * mm, width - 22 * mm - 50 * mm, 25 * mm, 25 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("BACKGROUND", (0, 0), (-1, 0), "#1F4E79"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")] + cmds))
    out.append(table)
    return out
