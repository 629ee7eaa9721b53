"""The right pane: guidance and legal reference for the current item, or the score breakdown
("why this score": each dimension's share and points, and the largest losses)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTabWidget, QTextBrowser


from ..i18n import _, band_text, format_number


class SidePanel(QTabWidget):
    GUIDANCE, SCORE = range(2)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.guidance = QTextBrowser()
        self.breakdown = QTextBrowser()
        self.addTab(self.guidance, _("Guidance"))
        self.addTab(self.breakdown, _("Why this score"))
        self.setMinimumWidth(200)
        self.show_item(None)

    def show_item(self, row) -> None:
        if row is None:
            self.guidance.setHtml(f"<p>{escape(_('Select an item to see its guidance.'))}</p>")
            return
        item, lang = row.item, self.session.lang
        parts = [f"<h3>{escape(item.number)} {escape(item.text.get(lang))}</h3>"]
        if item.guidance is not None:
            parts.append(f"<p>{escape(item.guidance.get(lang)).replace(chr(10), '<br>')}</p>")
        else:
            parts.append(f"<p><i>{escape(_('This item has no guidance.'))}</i></p>")
        if item.legal:
            parts.append(f"<p><b>{escape(_('Legal reference'))}:</b> {escape(item.legal)}</p>")
        if item.evidence is not None:
            parts.append(f"<p><b>{escape(_('Photo evidence'))}:</b> " + escape(
                _("{n} photo(s) needed").format(n=item.evidence.photos)) + "</p>")
        self.guidance.setHtml("".join(parts))

    def show_score(self, result) -> None:
        lang = self.session.lang
        if result is None or result.total is None:
            self.breakdown.setHtml(f"<p>{escape(_('No scored answer yet: the total is not defined.'))}</p>")
            return
        band = f" — {escape(band_text(result.band, lang))}" if result.band else ""
        rows = []
        for sec in result.template.sections:
            s = result.sections[sec.id]
            rows.append(f"<tr><td>{escape(sec.number)} {escape(sec.title.get(lang))}</td>"
                        f"<td align=right>{format_number(s.share, lang)}</td><td align=right>"
                        f"{format_number(s.score, lang)}</td>"
                        f"<td align=right><b>{format_number(s.points, lang)}</b></td></tr>")
        losses = sorted((x for x in result.items.values() if x.lost > 0), key=lambda x: -x.lost)[:12]
        loss_rows = []
        for x in losses:
            where = f" #{x.sample + 1}" if x.item.sample_group else ""
            loss_rows.append(f"<tr><td>{escape(x.item.number)}{where}</td><td>"
                             f"{escape(x.item.text.get(lang))}</td><td align=right>"
                             f"−{format_number(x.lost, lang)}</td></tr>")
        counts = result.counts()
        html = [f"<h2>{format_number(result.total, lang)}{band}</h2>",
                f"<p>{escape(_('The total is the sum of the points each section earned:'))}</p>",
                "<table width=100% cellspacing=0 cellpadding=3>",
                f"<tr><th align=left>{escape(_('Section'))}</th><th>{escape(_('Share'))}</th>"
                f"<th>{escape(_('Score'))}</th><th>{escape(_('Points'))}</th></tr>", *rows, "</table>",
                f"<p>{escape(_('Compliant'))}: {counts['compliant']} · {escape(_('Partly'))}: "
                f"{counts['partial']} · {escape(_('Not compliant'))}: {counts['non_compliant']} · "
                f"{escape(_('N.A.'))}: {counts['na']} · {escape(_('Unanswered'))}: "
                f"{counts['unanswered']}</p>"]
        if loss_rows:
            html += [f"<h3>{escape(_('Largest losses'))}</h3>",
                     "<table width=100% cellspacing=0 cellpadding=3>", *loss_rows, "</table>"]
        self.breakdown.setHtml("".join(html))
