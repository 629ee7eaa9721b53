"""The visible part of a signature: the drawn signature and a line saying who signed and when.

The report page paints the drawn signature inside the signature box; the signed appearance
(made here as a one-page PDF the size of the box, imported by pyHanko) is opaque and paints the
same image at the same place plus the signer's line, so the box looks the same before and after
signing, with the certificate holder's name added.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.pdfgen import canvas as rl_canvas

from .layout import IMAGE_SHARE, draw_drawn_signature, fit_text
from .style import ACCENT, BOLD, FONT, GREY, register_fonts

def appearance_pdf(width: float, height: float, *, lines: list[str], png: bytes | None) -> bytes:
    """A one-page PDF of ``width`` x ``height`` points: white, a thin accent frame, the drawn
    signature (if any) and up to three lines of text at the bottom."""
    register_fonts()
    buf = io.BytesIO()
    canv = rl_canvas.Canvas(buf, pagesize=(width, height), pageCompression=1, initialFontName=FONT)
    canv.setFillColor(colors.white)
    canv.rect(0, 0, width, height, stroke=0, fill=1)
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(1)
    canv.rect(0.5, 0.5, width - 1, height - 1)
    if png:
        draw_drawn_signature(canv, png, width, height)
        text_top = height * (1 - IMAGE_SHARE) - 2
        size = 6.4
    else:
        text_top = height / 2 + len(lines) * 4.5
        size = 7.5
    y = text_top - size
    for i, line in enumerate(lines[:3]):
        font = BOLD if i == 1 else FONT
        canv.setFont(font, size)
        canv.setFillColor(colors.black if i == 1 else GREY)
        canv.drawCentredString(width / 2, y, fit_text(canv, line, font, size, width - 6))
        y -= size * 1.25
    canv.showPage()
    canv.save()
    return buf.getvalue()
