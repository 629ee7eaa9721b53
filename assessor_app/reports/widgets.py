"""Drawn pieces used on several pages: the score badge, the band scale, bars, the QR block."""

from __future__ import annotations

from decimal import Decimal

import qrcode
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ..i18n import band_short, band_text
from .layout import QR_TAG, QR_TEXT_TAG, REPORT_NO_TAG, SCORE_TAG, fit_text, marked
from .style import BOLD, FONT, GREY, LIGHT, RULE, fmt_number, text_on, zone_colour


def printed_total(ctx):
    """The total as the report prints it (tests may override it to prove verify catches it)."""
    if ctx.printed_total_override is not None:
        return Decimal(str(ctx.printed_total_override))
    return ctx.result.total


class ScoreBadge(Flowable):
    """Zone-coloured box: the total, the grade letter and its label (colour never alone)."""

    def __init__(self, ctx, width=88 * mm, height=36 * mm, caption=None):
        super().__init__()
        self.ctx, self.width, self.height = ctx, width, height
        self.caption = caption

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        ctx, canv = self.ctx, self.canv
        band = ctx.result.band
        zone = band.zone if band else None
        fill = zone_colour(zone) if band else colors.HexColor("#9E9E9E")
        ink = text_on(zone) if band else colors.white
        canv.saveState()
        canv.setFillColor(fill)
        canv.roundRect(0, 0, self.width, self.height, 3 * mm, stroke=0, fill=1)
        canv.setFillColor(ink)
        canv.setFont(FONT, 8.5)
        label = self.caption or ctx.t("Total score")
        if ctx.draft:
            label += f" ({ctx.t('provisional')})"
        canv.drawString(5 * mm, self.height - 7 * mm, fit_text(canv, label, FONT, 8.5, self.width - 10 * mm))
        canv.setFont(BOLD, 30)
        with marked(canv, SCORE_TAG):
            canv.drawString(5 * mm, self.height - 20 * mm, fmt_number(printed_total(ctx), ctx.lang))
        if band:
            canv.setFont(BOLD, 11)
            grade = band_text(band, ctx.lang)
            canv.drawString(5 * mm, 6 * mm, fit_text(canv, grade, BOLD, 11, self.width - 10 * mm))
        else:
            canv.setFont(FONT, 9)
            canv.drawString(5 * mm, 6 * mm, ctx.t("No scored answer yet"))
        canv.restoreState()


class BandScale(Flowable):
    """The full 0-100 scale with each band in its colour, and a marker at the total."""

    def __init__(self, ctx, width, height=20 * mm):
        super().__init__()
        self.ctx, self.width, self.height = ctx, width, height

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        ctx, canv = self.ctx, self.canv
        bar_y, bar_h = 7 * mm, 6 * mm
        canv.saveState()
        for band in sorted(ctx.template.bands, key=lambda b: b.min):
            x1 = float(band.min) / 100 * self.width
            x2 = min(100.0, float(band.max) + 0.01) / 100 * self.width
            canv.setFillColor(zone_colour(band.zone))
            canv.rect(x1, bar_y, x2 - x1, bar_h, stroke=0, fill=1)
            canv.setStrokeColor(colors.white)
            canv.setLineWidth(1)
            canv.line(x1, bar_y, x1, bar_y + bar_h)
            canv.setFillColor(text_on(band.zone))
            canv.setFont(BOLD, 7)
            canv.drawCentredString((x1 + x2) / 2, bar_y + 2 * mm,
                                   fit_text(canv, band_short(band, ctx.lang).upper(), BOLD, 7,
                                            x2 - x1 - 2))
            canv.setFillColor(GREY)
            canv.setFont(FONT, 6)
            span = f"{fmt_number(band.min, ctx.lang)}–{fmt_number(band.max, ctx.lang)}"
            canv.drawCentredString((x1 + x2) / 2, bar_y - 3.2 * mm,
                                   fit_text(canv, span, FONT, 6, x2 - x1 - 2))
        total = ctx.result.total
        if total is not None:
            x = float(total) / 100 * self.width
            canv.setFillColor(colors.black)
            p = canv.beginPath()
            p.moveTo(x, bar_y + bar_h + 0.5)
            p.lineTo(x - 2 * mm, bar_y + bar_h + 3.5 * mm)
            p.lineTo(x + 2 * mm, bar_y + bar_h + 3.5 * mm)
            p.close()
            canv.drawPath(p, stroke=0, fill=1)
            canv.setFont(BOLD, 8)
            text = fmt_number(total, ctx.lang)
            tw = canv.stringWidth(text, BOLD, 8)
            tx = min(max(x - tw / 2, 0), self.width - tw)
            canv.drawString(tx, bar_y + bar_h + 4.5 * mm, text)
        canv.restoreState()


class Bar(Flowable):
    """One horizontal bar 0-100 for the section chart."""

    def __init__(self, score: Decimal | None, colour, width, height=4.2 * mm):
        super().__init__()
        self.score, self.colour, self.width, self.height = score, colour, width, height

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFillColor(LIGHT)
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.score is not None:
            canv.setFillColor(self.colour)
            canv.rect(0, 0, self.width * float(self.score) / 100, self.height, stroke=0, fill=1)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.3)
        for tick in (25, 50, 75):
            canv.line(self.width * tick / 100, 0, self.width * tick / 100, self.height)
        canv.restoreState()


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules (with the 4-module quiet zone) of ``payload``; deterministic."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    return qr.get_matrix()


def qr_image(payload: str) -> PILImage.Image:
    """One pixel per module, black on white (viewers do not smooth images scaled this much)."""
    matrix = qr_matrix(payload)
    n = len(matrix)
    img = PILImage.new("L", (n, n), 255)
    img.putdata([0 if dark else 255 for row in matrix for dark in row])
    return img


class QRBlock(Flowable):
    """The QR code (report number + SHA-256 of the embedded data) with both printed beneath."""

    def __init__(self, ctx, size=34 * mm):
        super().__init__()
        self.ctx, self.size = ctx, size
        self.width, self.height = size + 8 * mm, size + 13 * mm

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        ctx, canv = self.ctx, self.canv
        x0 = (self.width - self.size) / 2
        with marked(canv, QR_TAG):
            canv.drawImage(ImageReader(qr_image(ctx.qr_payload)), x0, 13 * mm, self.size, self.size)
        canv.setFont(BOLD, 6.5)
        with marked(canv, REPORT_NO_TAG):
            canv.drawCentredString(self.width / 2, 10.5 * mm, ctx.report_no)
        canv.setFont(FONT, 5.6)
        canv.setFillColor(GREY)
        canv.drawCentredString(self.width / 2, 7.6 * mm, ctx.t("SHA-256 of the embedded data:"))
        half = len(ctx.data_hash) // 2
        with marked(canv, QR_TEXT_TAG):
            canv.drawCentredString(self.width / 2, 4.9 * mm, ctx.data_hash[:half])
            canv.drawCentredString(self.width / 2, 2.2 * mm, ctx.data_hash[half:])
