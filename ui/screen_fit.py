"""Windows never taller or wider than the screen's free area: on a 1366x768 laptop with a title
bar and a 40 px taskbar, a dialog's buttons (Save, Print, Sign, Close) stay in sight."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

FRAME = 40          # px kept for the window's title bar and frame


def fit_to_screen(widget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, shrunk to the available area of its screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, free.width())
        height = min(height, free.height() - FRAME)
    widget.resize(width, height)


__all__ = ["fit_to_screen"]
