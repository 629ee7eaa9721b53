"""Page frame of the report: header, footer ("Page X of Y", report number, how to verify), the
DRAFT watermark, and small flowables shared by the page modules.

``Page X of Y`` needs the page count before the footers are drawn: :class:`NumberedCanvas`
keeps each page's state and draws every footer on ``save()`` (the classic reportlab recipe).
Text that :mod:`.inspect` must find again (the printed score, the QR payload) is wrapped in
PDF marked content (``/AssessorScore BMC ... EMC``), which viewers ignore.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate

from .style import ACCENT, BOLD, FONT, GREY, PAGE_BOTTOM, PAGE_MARGIN_X, PAGE_TOP, RULE

PAGE_W, PAGE_H = A4
SCORE_TAG, QR_TAG, QR_TEXT_TAG = "AssessorScore", "AssessorQR", "AssessorQRText"
REPORT_NO_TAG, DRAFT_TAG = "AssessorReportNo", "AssessorDraft"


def marked(canv, tag: str):
    """Context manager: wrap what is drawn inside in ``/tag BMC ... EMC``."""
    class _Marked:
        def __enter__(self):
            canv.addLiteral(f"/{tag} BMC")

        def __exit__(self, *exc):
            canv.addLiteral("EMC")
    return _Marked()


def fit_text(canv, text: str, font: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``width`` points."""
    if canv.stringWidth(text, font, size) <= width:
        return text
    while text and canv.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


IMAGE_SHARE = 0.66   # the upper part of the box holds the drawn signature


def draw_drawn_signature(canv, png: bytes, width: float, height: float) -> None:
    """Paint ``png`` centred in the upper part of a ``width`` x ``height`` box at (0, 0)."""
    image = ImageReader(io.BytesIO(png))
    iw, ih = image.getSize()
    box_w, box_h = width - 8, height * IMAGE_SHARE - 4
    scale = min(box_w / iw, box_h / ih)
    w, h = iw * scale, ih * scale
    y0 = height * (1 - IMAGE_SHARE)
    canv.drawImage(image, (width - w) / 2, y0 + (height * IMAGE_SHARE - h) / 2, w, h, mask="auto")


def make_canvas_class(ctx, progress=None):
    """A canvas class bound to one report: footers with the final page count. ``progress(n)``
    hears of each page as it is laid out."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            # else reportlab's default Helvetica, never embedded, lands in every page's resources
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            super().__init__(*args, **kwargs)
            self._saved_pages = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()
            if progress is not None:
                progress(len(self._saved_pages))

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                if ctx.draft:            # on top of everything, so no badge or photo hides it
                    draw_watermark(self, ctx)
                draw_footer(self, ctx, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_footer(canv, ctx, page: int, total: int) -> None:
    t = ctx.t
    canv.saveState()
    y = PAGE_BOTTOM - 7 * mm
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(PAGE_MARGIN_X, y + 4.5 * mm, PAGE_W - PAGE_MARGIN_X, y + 4.5 * mm)
    canv.setFont(FONT, 7.5)
    canv.setFillColor(colors.black)
    canv.drawString(PAGE_MARGIN_X, y, f"{t('Report No.')} {ctx.report_no}")
    canv.drawRightString(PAGE_W - PAGE_MARGIN_X, y,
                         t("Page {page} of {total}").format(page=page, total=total))
    canv.setFillColor(GREY)
    canv.setFont(FONT, 6.5)
    note = t("This document carries electronic signatures. Verify it with "
             "'assessor verify' or a PDF reader that trusts the organisation's root certificate.")
    from reportlab.lib.utils import simpleSplit
    for i, line in enumerate(simpleSplit(note, FONT, 6.5, PAGE_W - 2 * PAGE_MARGIN_X)[:2]):
        canv.drawString(PAGE_MARGIN_X, y - (3.4 + 2.9 * i) * mm, line)
    canv.restoreState()


def draw_header(canv, ctx) -> None:
    canv.saveState()
    top = PAGE_H - 10 * mm
    x = PAGE_MARGIN_X
    if ctx.logo_path:
        canv.drawImage(str(ctx.logo_path), x, top - 9 * mm, 9 * mm, 9 * mm,
                       preserveAspectRatio=True, mask="auto")
        x += 11 * mm
    # short by design: who (organisation) and what (report kind) on the first line, the unit and
    # the template's id and version on the second; the full titles are on the cover
    width = PAGE_W - PAGE_MARGIN_X - x
    kind = ctx.t("Summary report") if ctx.kind == "summary" else ctx.t("Assessment report")
    canv.setFont(FONT, 8)
    canv.setFillColor(GREY)
    canv.drawRightString(PAGE_W - PAGE_MARGIN_X, top - 3.5 * mm, kind)
    right = f"{ctx.template.id} · {ctx.t('version')} {ctx.template.version}"
    canv.drawRightString(PAGE_W - PAGE_MARGIN_X, top - 7.5 * mm, right)
    room = width - max(canv.stringWidth(kind, FONT, 8), canv.stringWidth(right, FONT, 8)) - 6 * mm
    canv.setFillColor(ACCENT)
    canv.setFont(BOLD, 9)
    unit = ctx.assessment.unit.get("unit") or ctx.assessment.title()
    first, second = ((ctx.organisation, unit) if ctx.organisation
                     else (unit, ctx.assessment.unit.get("agency") or ""))
    canv.drawString(x, top - 3.5 * mm, fit_text(canv, first, BOLD, 9, room))
    canv.setFont(FONT, 8)
    canv.setFillColor(GREY)
    canv.drawString(x, top - 7.5 * mm, fit_text(canv, second, FONT, 8, room))
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(1)
    canv.line(PAGE_MARGIN_X, top - 10 * mm, PAGE_W - PAGE_MARGIN_X, top - 10 * mm)
    canv.restoreState()


def draw_watermark(canv, ctx) -> None:
    """A large, translucent diagonal DRAFT over every page of an uncompleted assessment."""
    canv.saveState()
    canv.setFillColor(colors.HexColor("#C62828"))
    canv.setFillAlpha(0.13)
    canv.translate(PAGE_W / 2, PAGE_H / 2)
    canv.rotate(52)
    word = ctx.t("DRAFT")
    size = 120
    while canv.stringWidth(word, BOLD, size) > PAGE_H * 0.8 and size > 40:
        size -= 4
    canv.setFont(BOLD, size)
    with marked(canv, DRAFT_TAG):
        canv.drawCentredString(0, -size / 3, word)
    canv.setFillAlpha(0.5)
    canv.setFont(BOLD, 11)
    canv.drawCentredString(0, -size / 3 - 8 * mm, ctx.t("Not completed: not valid as a final report"))
    canv.restoreState()


class ReportDoc(BaseDocTemplate):
    """A4 portrait; the cover has no running header, every other page has one."""

    def __init__(self, buffer, ctx, **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=PAGE_MARGIN_X,
                         rightMargin=PAGE_MARGIN_X, topMargin=PAGE_TOP, bottomMargin=PAGE_BOTTOM,
                         title=kwargs.pop("title", ""), author=kwargs.pop("author", ""),
                         subject=kwargs.pop("subject", ""), creator="Assessor",
                         **kwargs)
        self.ctx = ctx
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_frame = Frame(self.leftMargin, self.bottomMargin, self.width,
                            PAGE_H - self.bottomMargin - 14 * mm, id="cover",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self._cover_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])

    def _cover_page(self, canv, doc):
        pass

    def _body_page(self, canv, doc):
        draw_header(canv, self.ctx)


def body_pages():
    return NextPageTemplate("body")


class SignatureArea(Flowable):
    """An empty box of fixed size whose position on the page is recorded for a signature field.

    The drawn signature (``png``) is painted in its upper part; the cryptographic signature's
    appearance later covers exactly this rectangle (see :mod:`.appearance`).
    """

    def __init__(self, ctx, role: str, width: float, height: float, png: bytes | None,
                 placeholder: str = ""):
        super().__init__()
        self.ctx, self.role, self.width, self.height = ctx, role, width, height
        self.png, self.placeholder = png, placeholder

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setDash(2, 2)
        canv.setLineWidth(0.6)
        canv.rect(0, 0, self.width, self.height)
        if self.png:
            draw_drawn_signature(canv, self.png, self.width, self.height)
        elif self.placeholder:
            canv.setFillColor(GREY)
            canv.setFont(FONT, 7.5)
            canv.drawCentredString(self.width / 2, self.height / 2 - 2, self.placeholder)
        canv.restoreState()
        if self.role is None:          # a box for a drawn signature only (the unit's representative)
            return
        x1, y1 = canv.absolutePosition(0, 0)
        x2, y2 = canv.absolutePosition(self.width, self.height)
        self.ctx.sig_boxes[self.role] = (canv.getPageNumber() - 1, (x1, y1, x2, y2))
