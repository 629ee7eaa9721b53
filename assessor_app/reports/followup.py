"""The "Follow-up of corrective actions" section (issue 11).

Shown when the assessment carries the corrective-action compliance variable (a template item of
type ``variable``) or is itself a follow-up visit. Everything printed comes from the signed data
(the answers and the template snapshot), so a verifier can recompute it: the variable's counts
(fully, partly, applicable, weight of partly) and, for a follow-up visit, each action's observed
state and note.
"""

from __future__ import annotations

from fractions import Fraction

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from ..actions import FOLLOWUP_TEMPLATE_ID, variable_ratio
from .style import esc, fmt_number, grid_style, styles

STATE_WORDS = {"fully": "Carried out fully", "partly": "Carried out partly",
               "not": "Not carried out", "na": "No longer applicable"}


def followup(ctx, width: float) -> list:
    s, t = styles(), ctx.t
    answers = ctx.assessment.answers
    variables = [i for i in ctx.template.walk_items() if i.type == "variable"]
    visit = ctx.template.id == FOLLOWUP_TEMPLATE_ID
    if not variables and not visit:
        return []
    out = [Spacer(1, 6 * mm), Paragraph(esc(t("Follow-up of corrective actions")), s["h1"])]
    for item in variables:
        value = answers.get((item.id, 0))
        ratio = variable_ratio(value)
        if ratio is None:
            out.append(Paragraph(esc(t("{item}: N.A. - no corrective action applies, so the "
                                       "variable leaves the denominator.").format(
                item=ctx.text(item.text))), s["body"]))
            continue
        out.append(Paragraph(esc(t("{item}: {value} = ({fully} carried out fully + {weight} x "
                                   "{partly} partly) / {applicable} applicable x 100").format(
            item=ctx.text(item.text), value=fmt_number(ratio * 100, ctx.lang),
            fully=value["fully"], weight=fmt_number(Fraction(value["partly_weight"]), ctx.lang),
            partly=value["partly"], applicable=value["applicable"])), s["body"]))
    if visit:
        rows = [[Paragraph(esc(t(h)), s["th"]) for h in ("No.", "Corrective action", "State", "Note")]]
        n = 0
        for item in ctx.template.walk_items():
            if item.type != "choice":
                continue
            n += 1
            state = answers.get((item.id, 0))
            rows.append([Paragraph(str(n), s["cell"]), Paragraph(esc(ctx.text(item.text)), s["cell"]),
                         Paragraph(esc(t(STATE_WORDS.get(state, "Not observed"))), s["cell"]),
                         Paragraph(esc(ctx.assessment.item_notes.get((item.id, 0), "") or "–"),
                                   s["cell"])])
        total = ctx.result.total
        out.append(Paragraph(esc(t("Compliance of the actions followed up in this visit: {value}")
                                 .format(value=fmt_number(total, ctx.lang) if total is not None
                                         else "N.A.")), s["body"]))
        cols = [10 * mm, None, 38 * mm, 50 * mm]
        rest = width - sum(c for c in cols if c)
        table = Table(rows, colWidths=[c or rest for c in cols], repeatRows=1, splitInRow=1)
        table.setStyle(grid_style())
        out.append(table)
    return out
