"""Printing the archived signed report: QPrinter with a preview, one page image per sheet
(rendered by poppler at print resolution); and saving every approved report of a period into
a folder, byte for byte (the files keep their signatures)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from assessor_app.fileio import atomic_write

from ..report_preview import render_pages

PRINT_DPI = 150


def paint_pdf(pdf: bytes, printer: QPrinter, dpi: int = PRINT_DPI) -> int:
    """Draw every page of ``pdf`` on ``printer`` (fitted, aspect kept); returns pages printed."""
    return paint_many([pdf], printer, dpi=dpi)


def paint_many(pdfs: list[bytes], printer: QPrinter, dpi: int = PRINT_DPI,
               on_progress: Callable[[int, int], bool] | None = None) -> int:
    """Print several reports as one job, each starting on a new sheet; ``on_progress(done,
    total)`` may return False to stop. Returns the pages printed."""
    painter = QPainter()
    printed = 0
    try:
        for n, pdf in enumerate(pdfs):
            if on_progress is not None and on_progress(n, len(pdfs)) is False:
                break
            for png in render_pages(pdf, dpi):
                if printed == 0:
                    if not painter.begin(printer):
                        return 0
                else:
                    printer.newPage()
                image = QImage.fromData(png)
                area = QRectF(painter.viewport())
                size = image.size().scaled(area.size().toSize(),
                                           Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(area.x(), area.y(), size.width(), size.height()), image)
                printed += 1
        if on_progress is not None:
            on_progress(len(pdfs), len(pdfs))
    finally:
        if painter.isActive():
            painter.end()
    return printed


def print_to_pdf(pdf: bytes, out: Path) -> int:
    """Print through QPrinter into a PDF file (what "Print to file" does)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return paint_pdf(pdf, printer)


def approved_in_period(store, since: str = "", until: str = "") -> list[dict]:
    """Approved team work with a countersigned report, submitted in [since, until] (dates)."""
    rows = [r for r in store.review_queue("approved") if r["countersigned"]]
    return [r for r in rows if (not since or (r["submitted_at"] or "")[:10] >= since)
            and (not until or (r["submitted_at"] or "")[:10] <= until)]


def save_all(store, rows: list[dict], folder: Path,
             on_progress: Callable[[int, int], bool] | None = None) -> list[Path]:
    """Write each row's countersigned PDF into ``folder``; ``on_progress(done, total)`` may
    return False to stop. Returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, r in enumerate(rows):
        if on_progress is not None and on_progress(i, len(rows)) is False:
            break
        _kind, pdf = store.signed_report_bytes(r["uuid"], "countersigned")
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in r["unit"])[:60]
        path = folder / f"{safe}-{r['uuid'][:8]}.pdf"
        atomic_write(path, pdf)
        written.append(path)
    if on_progress is not None:
        on_progress(len(written), len(rows))
    return written
