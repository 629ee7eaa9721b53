"""Chips and badges: colour always comes with text (grade letter and label, status word)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from .. import theme
from ..i18n import band_text


def paint_chip(painter: QPainter, rect: QRect, text: str, bg: str, fg: str,
               align=Qt.AlignmentFlag.AlignLeft) -> None:
    """Draw a rounded chip with ``text`` inside ``rect`` (used by table delegates too)."""
    fm = painter.fontMetrics()
    width = min(rect.width() - 4, fm.horizontalAdvance(text) + 20)
    height = min(rect.height() - 6, fm.height() + 6)
    x = rect.x() + 4 if align == Qt.AlignmentFlag.AlignLeft else rect.center().x() - width // 2
    chip = QRect(x, rect.center().y() - height // 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(bg))
    painter.drawRoundedRect(chip, height / 2, height / 2)
    painter.setPen(QColor(fg))
    painter.drawText(chip.adjusted(8, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     fm.elidedText(text, Qt.TextElideMode.ElideRight, chip.width() - 12))
    painter.restore()


class Chip(QWidget):
    """A rounded label with a background colour; ``set(text, bg, fg)`` changes it."""

    def __init__(self, text: str = "", bg: str = "#E5E7EB", fg: str = theme.TEXT, parent=None,
                 bold: bool = False, scale: float = 1.0):
        super().__init__(parent)
        self._text, self._bg, self._fg = text, bg, fg
        font = self.font()
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set(self, text: str, bg: str | None = None, fg: str | None = None) -> None:
        self._text = text
        self._bg = bg or self._bg
        self._fg = fg or self._fg
        self.setAccessibleName(text)
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        return QSize(fm.horizontalAdvance(self._text) + 28, fm.height() + 10)

    def paintEvent(self, event) -> None:
        if not self._text:
            return
        p = QPainter(self)
        p.setFont(self.font())
        paint_chip(p, self.rect().adjusted(-4, 0, 4, 0), self._text, self._bg, self._fg)


class StatusChip(Chip):
    def set_status(self, status: str, label: str) -> None:
        bg, fg = theme.STATUS_COLOURS.get(status, ("#E5E7EB", theme.TEXT))
        self.set(label, bg, fg)


class ZoneBadge(Chip):
    """The grade/zone badge: ``B · Kualitas Tinggi`` on the zone colour."""

    def __init__(self, parent=None, scale: float = 1.0):
        super().__init__("", parent=parent, bold=True, scale=scale)

    def set_band(self, band, lang: str, empty: str = "") -> None:
        if band is None:
            self.set(empty, "#E5E7EB", theme.TEXT)
            return
        bg, fg = theme.zone_colours(band.zone)
        self.set(band_text(band, lang), bg, fg)
