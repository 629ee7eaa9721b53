"""The report's look: fonts (shipped DejaVu, embedded), colours, paragraph styles, number formats.

The same font family and the same zone colours as the desktop app (shared/design/desktop-ui.md).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.fonts import addMapping

from ..i18n import format_number
from ..paths import resource

FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"

ACCENT = colors.HexColor("#1F4E79")
GREEN = colors.HexColor("#2E7D32")
AMBER = colors.HexColor("#F9A825")
AMBER_TEXT = colors.HexColor("#8A5A00")   # amber is too light for text on white
RED = colors.HexColor("#C62828")
GREY = colors.HexColor("#666666")
LIGHT = colors.HexColor("#EEF2F7")        # zebra rows
RULE = colors.HexColor("#B8C4D3")
ZONE_COLOURS = {"green": GREEN, "yellow": AMBER, "red": RED}

PAGE_MARGIN_X = 18 * mm
PAGE_TOP = 24 * mm
PAGE_BOTTOM = 22 * mm


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the shipped DejaVu fonts once per process (reportlab embeds subsets of them)."""
    for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf"),
                       (ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", file))))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, ITALIC)
    addMapping(FONT, 1, 1, BOLD)
    return FONT


def zone_colour(zone: str | None):
    return ZONE_COLOURS.get(zone or "", GREY)


def text_on(zone: str | None):
    """Dark text on amber, white on green and red."""
    return colors.black if zone == "yellow" else colors.white


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5, alignment=TA_LEFT)
    s = {"body": base}
    s["small"] = ParagraphStyle("small", base, fontSize=7.5, leading=9.2)
    s["note"] = ParagraphStyle("note", base, fontName=ITALIC, fontSize=7.5, leading=9.2,
                               textColor=GREY)
    s["legal"] = ParagraphStyle("legal", base, fontSize=7, leading=8.5, textColor=GREY)
    s["cell"] = ParagraphStyle("cell", base, fontSize=8.5, leading=10.5)
    s["cell_c"] = ParagraphStyle("cell_c", s["cell"], alignment=TA_CENTER)
    s["cell_r"] = ParagraphStyle("cell_r", s["cell"], alignment=TA_RIGHT)
    s["cell_b"] = ParagraphStyle("cell_b", s["cell"], fontName=BOLD)
    # answers keep whole words: a column wide enough for them, never a word cut without a hyphen
    s["answer"] = ParagraphStyle("answer", s["cell"], fontSize=8, leading=10, splitLongWords=0)
    s["points"] = ParagraphStyle("points", s["cell"], fontSize=7.5, leading=9.5,
                                 alignment=TA_CENTER)
    s["sample"] = ParagraphStyle("sample", s["cell"], fontSize=7.5, leading=9.5,
                                 alignment=TA_CENTER, splitLongWords=0)
    s["sample_score"] = ParagraphStyle("sample_score", s["sample"], fontSize=6.5, leading=8)
    s["sample_text"] = ParagraphStyle("sample_text", s["cell"], fontSize=6.5, leading=8,
                                      alignment=TA_LEFT)
    s["sample_ref"] = ParagraphStyle("sample_ref", base, fontSize=6, leading=7, textColor=GREY,
                                     alignment=TA_CENTER)
    s["th"] = ParagraphStyle("th", base, fontName=BOLD, fontSize=8, leading=10,
                             textColor=colors.white)
    s["th_c"] = ParagraphStyle("th_c", s["th"], alignment=TA_CENTER)
    s["h1"] = ParagraphStyle("h1", base, fontName=BOLD, fontSize=15, leading=19, textColor=ACCENT,
                             spaceAfter=4 * mm)
    s["h2"] = ParagraphStyle("h2", base, fontName=BOLD, fontSize=11.5, leading=14.5,
                             textColor=ACCENT, spaceBefore=4 * mm, spaceAfter=2 * mm,
                             keepWithNext=1)
    s["h3"] = ParagraphStyle("h3", base, fontName=BOLD, fontSize=9.5, leading=12,
                             spaceBefore=2.5 * mm, spaceAfter=1.5 * mm, keepWithNext=1)
    s["label"] = ParagraphStyle("label", base, fontSize=8, leading=10, textColor=GREY)
    s["value"] = ParagraphStyle("value", base, fontSize=10, leading=13)
    s["title"] = ParagraphStyle("title", base, fontName=BOLD, fontSize=22, leading=27,
                                textColor=ACCENT)
    s["subtitle"] = ParagraphStyle("subtitle", base, fontSize=12, leading=15, textColor=GREY)
    s["unit"] = ParagraphStyle("unit", base, fontName=BOLD, fontSize=16, leading=20)
    return s


def esc(text) -> str:
    """Escape text for a reportlab Paragraph (which reads a little XML)."""
    return escape("" if text is None else str(text)).replace("\n", "<br/>")


def fmt_number(value: Decimal | float | None, lang: str, places: int = 2) -> str:
    """``87.50`` in English, ``87,50`` in Bahasa Indonesia; ``-`` for no value."""
    if value is None:
        return "-"
    return format_number(value, lang, places)


def parse_number(text: str) -> Decimal | None:
    """The inverse of :func:`fmt_number` (for checking the printed score)."""
    cleaned = text.strip().replace(",", ".")
    try:
        return Decimal(cleaned)
    except ArithmeticError:
        return None


def grid_style(extra=()):
    """The house table style: accent header row, zebra rows, thin rules, top-aligned cells."""
    from reportlab.platypus import TableStyle
    cmds = [("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, LIGHT]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    return TableStyle(cmds + list(extra))
