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
        """The breakdown as lines that fit the pane at its default width (no table columns
        squeezing words apart): each dimension, then the largest losses with sample names."""
        from assessor_app.provisional import missing_dimensions, shown_band
        lang = self.session.lang
        if result is None or result.total is None:
            self.breakdown.setHtml(f"<p>{escape(_('No scored answer yet: the total is not defined.'))}</p>")
            return
        band = shown_band(result)
        head = format_number(result.total, lang)
        if band is not None:
            head += f" — {escape(band_text(band, lang))}"
        html = [f"<h2>{head}</h2>"]
        if self.session.editable:
            waiting = missing_dimensions(result)
            html.append("<p><i>" + escape(
                _("Provisional: no grade until these have answers: {dimensions}.").format(
                    dimensions=", ".join(f"{d.number} {d.title.get(lang)}" for d in waiting))
                if waiting else _("Provisional: the figures change as you answer.")) + "</i></p>")
        html.append(f"<p>{escape(_('The total is the sum of the points each section earned:'))}</p>")
        for sec in result.template.sections:
            sc = result.sections[sec.id]
            html.append(
                f"<p style='margin:4px 0'><b>{escape(sec.number)} {escape(sec.title.get(lang))}"
                f"</b><br>" + escape(_("score {score} × share {share}% = {points} points").format(
                    score=format_number(sc.score, lang), share=format_number(sc.share, lang),
                    points=format_number(sc.points, lang))) + "</p>")
        counts = result.counts()
        html.append(
            f"<p>{escape(_('Compliant'))}: {counts['compliant']} · {escape(_('Partly'))}: "
            f"{counts['partial']} · {escape(_('Not compliant'))}: {counts['non_compliant']} · "
            f"{escape(_('N.A.'))}: {counts['na']} · {escape(_('Unanswered'))}: "
            f"{counts['unanswered']}</p>")
        losses = sorted((x for x in result.items.values() if x.lost > 0), key=lambda x: -x.lost)[:12]
        if losses:
            html.append(f"<h3>{escape(_('Largest losses'))}</h3>")
        for x in losses:
            where = ""
            if x.item.sample_group:
                labels = self.session.sample_labels(x.item.sample_group)
                label = labels[x.sample] if x.sample < len(labels) else str(x.sample + 1)
                from .navigator import sample_title
                group = self.session.template.section_index[x.item.sample_group]
                where = " · " + escape(sample_title(group, lang, x.sample, label))
            html.append(f"<p style='margin:4px 0'><b>−{format_number(x.lost, lang)}</b> "
                        f"{escape(x.item.number)}{where}<br>{escape(x.item.text.get(lang))}</p>")
        self.breakdown.setHtml("".join(html))
