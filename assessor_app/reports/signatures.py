"""Signature page: boxes for the inspector, the unit's representative and the supervisor.

The inspector's and the supervisor's boxes are also where their electronic (PAdES) signatures
appear: :mod:`.package` places a signature field exactly over each :class:`SignatureArea`.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from .layout import SignatureArea
from .style import RULE, esc, styles

BOX_W, BOX_H = 82 * mm, 34 * mm
ROLES = (("inspector", "Inspector"), ("representative", "Representative of the assessed unit"),
         ("supervisor", "Supervisor"))


def signatures(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Signatures")), s["h1"]),
           Paragraph(esc(t("By signing, the inspector and the representative of the unit confirm "
                           "that the assessment was carried out as recorded in this report; the "
                           "supervisor confirms that it was reviewed.")), s["body"]),
           Spacer(1, 5 * mm)]
    for role, label in ROLES:
        sig = ctx.signatures.get(role)
        lines = [f"<b>{esc(t(label))}</b>"]
        if sig:
            lines.append(f"{esc(t('Name'))}: {esc(sig.name)}")
            if sig.title:
                lines.append(f"{esc(t('Position'))}: {esc(sig.title)}")
            lines.append(f"{esc(t('Signed on'))}: {esc(ctx.date_time(sig.signed_at))}")
        else:
            lines += [f"{esc(t('Name'))}: ____________________________",
                      f"{esc(t('Date'))}: ____________________"]
        if role in ("inspector", "supervisor"):
            lines.append(f"<font size='7' color='#666666'>"
                         f"{esc(t('The electronic signature appears in the box when applied.'))}</font>")
        placeholder = "" if sig else (t("Electronic signature of the supervisor")
                                      if role == "supervisor" else t("Signature"))
        area = SignatureArea(ctx, role, BOX_W, BOX_H, sig.png if sig else None, placeholder)
        text = [Paragraph(line, s["body"]) for line in lines]
        row = Table([[text, area]], colWidths=[width - BOX_W, BOX_W])
        row.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
        out.append(KeepTogether([row]))
    return out
