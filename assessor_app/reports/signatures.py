"""Signature page: boxes for the inspector, the unit's representative and the supervisor.

The inspector's and the supervisor's boxes are also where their electronic (PAdES) signatures
appear: :mod:`.package` places a signature field exactly over each :class:`SignatureArea`.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from .data import inspector_field_key, person_key
from .layout import SignatureArea
from .style import RULE, esc, styles

BOX_W, BOX_H = 82 * mm, 34 * mm


def _rows(ctx):
    """(field key or None, label, name, drawn signature, extra lines) per box: every inspector
    named on the report, the unit's representative, the supervisor."""
    t = ctx.t
    names = [str(p) for p in ctx.assessment.inspectors if str(p).strip()] or [""]
    drawn = ctx.signatures.get("inspector")
    owner = 0
    if drawn is not None:
        owner = next((i for i, n in enumerate(names) if person_key(n) == person_key(drawn.name)), 0)
    rows = []
    for i, name in enumerate(names):
        sig = drawn if i == owner else None
        label = t("Inspector") if len(names) == 1 else f"{t('Inspector')} {i + 1}"
        rows.append((inspector_field_key(i), label, name or (sig.name if sig else ""), sig, []))
    rows.append((None, t("Representative of the assessed unit"), None,
                 ctx.signatures.get("representative"), []))
    sup = ctx.signatures.get("supervisor")
    extra = []
    approval = ctx.approval
    name = sup.name if sup else None
    if approval is not None:
        name = approval.get("name") or name
        extra.append(f"<b>{esc(t('Approved on'))}: {esc(ctx.date_time(approval.get('at')))}</b>")
    rows.append(("supervisor", t("Supervisor"), name, sup, extra))
    return rows


def signatures(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    out = [PageBreak(), Paragraph(esc(t("Signatures")), s["h1"]),
           Paragraph(esc(t("By signing, the inspectors and the representative of the unit confirm "
                           "that the assessment was carried out as recorded in this report; the "
                           "supervisor confirms that it was reviewed.")), s["body"]),
           Spacer(1, 3 * mm)]
    box_h = BOX_H if len(ctx.assessment.inspectors) <= 2 else 28 * mm
    for key, label, name, sig, extra in _rows(ctx):
        lines = [f"<b>{esc(label)}</b>"]
        if name:
            lines.append(f"{esc(t('Name'))}: {esc(name)}")
        else:
            lines.append(f"{esc(t('Name'))}: ____________________________")
        if sig and sig.title:
            lines.append(f"{esc(t('Position'))}: {esc(sig.title)}")
        if sig:
            lines.append(f"{esc(t('Signed on'))}: {esc(ctx.date_time(sig.signed_at))}")
        elif not extra:
            lines.append(f"{esc(t('Date'))}: ____________________")
        lines += extra
        if key is not None:
            lines.append(f"<font size='7' color='#666666'>"
                         f"{esc(t('The electronic signature appears in the box when applied.'))}</font>")
        placeholder = "" if sig else (t("Electronic signature of the supervisor")
                                      if key == "supervisor" else t("Signature"))
        area = SignatureArea(ctx, key, BOX_W, box_h, sig.png if sig else None, placeholder)
        text = [Paragraph(line, s["body"]) for line in lines]
        row = Table([[text, area]], colWidths=[width - BOX_W, BOX_W])
        row.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
        out.append(KeepTogether([row]))
    return out
