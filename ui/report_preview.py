"""The "Report" action: ask which report (summary or full), generate the PDF in the background
with the pages laid out so far in the status line, show the pages as they are drawn (with zoom),
then Save as PDF, Print, or Sign (ui/sign_dialog.py).

``open_report_dialog(parent, data_dir, uuid)`` is the entry point the main window calls. The
report is built in a worker thread with an AssessmentStore of its own (a store is bound to its
thread); pages are rendered there too (QtPdf when the Qt build has it, else poppler's pdftoppm)
and cross to the GUI thread as PNG bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from assessor_app.fileio import atomic_write
from assessor_app.i18n import language

from .background import BackgroundRunner
from .errors import message_for
from .i18n import _
from .screen_fit import fit_to_screen

PREVIEW_DPI = 96          # pages are rendered at this size; the zoom scales them
ZOOMS = (50, 75, 100, 125, 150, 200)
FIRST_PAGES = 2           # shown first, as soon as the file is ready; the rest in chunks
CHUNK = 4


def render_pages(pdf: bytes, dpi: int = PREVIEW_DPI, first: int | None = None,
                 last: int | None = None) -> list[bytes]:
    """PNG bytes of the pages ``first``..``last`` (all by default; any thread). Empty when no
    renderer is installed."""
    try:
        from PySide6.QtPdf import QPdfDocument  # noqa: F401 - not in every PySide6 build
    except ImportError:
        pass  # QtPdf is missing from PySide6-Essentials: use poppler below
    if shutil.which("pdftoppm") is None:
        return []
    with tempfile.TemporaryDirectory(prefix="assessor-preview-") as tmp:
        src = Path(tmp) / "report.pdf"
        src.write_bytes(pdf)
        args = ["pdftoppm", "-png", "-r", str(dpi)]
        if first is not None:
            args += ["-f", str(first)]
        if last is not None:
            args += ["-l", str(last)]
        subprocess.run(args + [str(src), str(Path(tmp) / "page")],
                       check=True, capture_output=True, timeout=120)
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [p.read_bytes() for p in pages]


def _generate(data_dir: Path, uuid: str, lang: str, kind: str = "full", progress=None):
    from assessor_app.reports import build_report
    from assessor_app.store import AssessmentStore
    store = AssessmentStore(data_dir, actor="report")
    try:
        return build_report(store, uuid, lang=lang, kind=kind, progress=progress)
    finally:
        store.close()


class _Progress(QObject):
    """Crosses from the worker thread to the dialog: pages laid out so far."""
    pages = Signal(int)


def ask_report_kind(parent) -> str | None:
    """One question before the report: the summary (a few pages) or the full report."""
    box = QMessageBox(parent)
    box.setWindowTitle(_("Assessment report"))
    box.setText(_("Which report?"))
    box.setInformativeText(_("The summary report has the score, the dimensions, the findings and "
                             "the signatures (at most 8 pages). The full report adds every answer "
                             "per sample and the photo appendix."))
    summary = box.addButton(_("Summary report"), QMessageBox.AcceptRole)
    full = box.addButton(_("Full report"), QMessageBox.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.RejectRole)
    box.setDefaultButton(summary)
    box.exec()
    clicked = box.clickedButton()
    return "summary" if clicked is summary else "full" if clicked is full else None


class ReportPreviewDialog(QDialog):
    """Pages of the report as images (shown as they are drawn, with zoom), with Save, Print and
    Sign."""

    def __init__(self, parent, data_dir: Path, uuid: str, *, runner: BackgroundRunner | None = None,
                 lang: str | None = None, kind: str = "full"):
        super().__init__(parent)
        self.data_dir, self.uuid = Path(data_dir), uuid
        self.runner = runner or BackgroundRunner(parent=self)
        self.report = None
        self.saved_path: Path | None = None
        self._images: list[QImage] = []
        self._generation = 0
        self._progress = _Progress(self)
        self._progress.pages.connect(self._laid_out)
        self.setWindowTitle(_("Assessment report"))
        fit_to_screen(self, 820, 720)     # Save, Print and Sign stay in sight at 1366x768

        self.lang = QComboBox()
        self.lang.addItem("Bahasa Indonesia", "id")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if (lang or language()) == "id" else 1)
        self.lang.currentIndexChanged.connect(self.generate)
        self.kind = QComboBox()
        self.kind.addItem(_("Summary report"), "summary")
        self.kind.addItem(_("Full report"), "full")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.currentIndexChanged.connect(self.generate)
        self.zoom = QComboBox()
        for z in ZOOMS:
            self.zoom.addItem(f"{z} %", z)
        self.zoom.setCurrentIndex(ZOOMS.index(75))
        self.zoom.currentIndexChanged.connect(self._apply_zoom)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)

        self.save_button = QPushButton(_("Save as PDF…"))
        self.print_button = QPushButton(_("Print…"))
        self.sign_button = QPushButton(_("Sign…"))
        close = QPushButton(_("Close"))
        self.save_button.clicked.connect(self.ask_save)
        self.print_button.clicked.connect(self.ask_print)
        self.sign_button.clicked.connect(self.ask_sign)
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(QLabel(_("Language")))
        top.addWidget(self.lang)
        top.addWidget(QLabel(_("Zoom")))
        top.addWidget(self.zoom)
        top.addWidget(self.status, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.save_button, self.print_button, self.sign_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.generate()

    # ---------------------------------------------------------------- generating
    def _set_busy(self, busy: bool) -> None:
        for b in (self.save_button, self.print_button, self.sign_button, self.lang, self.kind):
            b.setEnabled(not busy)

    def _clear_pages(self) -> None:
        self._images = []
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def generate(self) -> None:
        self._generation += 1
        generation = self._generation
        self._set_busy(True)
        self._clear_pages()
        self.report = None
        self.status.setStyleSheet("")
        self.status.setText(_("Generating the report…"))
        lang, kind = self.lang.currentData(), self.kind.currentData()
        signal = self._progress.pages
        self.runner.run(lambda: _generate(self.data_dir, self.uuid, lang, kind, signal.emit),
                        lambda report: self._generated(report, generation),
                        lambda exc: self._failed(exc, generation), label=_("Generating the report…"))

    def _laid_out(self, pages: int) -> None:
        if self.report is None:
            self.status.setText(_("Laying out the pages… {pages} so far").format(pages=pages))

    def _generated(self, report, generation: int = 0) -> None:
        if generation and generation != self._generation:
            return      # an older request (the language or kind changed meanwhile)
        self.report = report
        self._set_busy(False)
        self.sign_button.setEnabled(not report.draft)
        self._show_status()
        self._render_next(1, generation or self._generation)

    def _show_status(self) -> None:
        report = self.report
        state = _(" (DRAFT: the assessment is not completed)") if report.draft else ""
        text = _("Report {number}: {pages} pages{state}").format(
            number=report.report_no, pages=report.pages, state=state)
        if len(self._images) < report.pages:
            text += " · " + _("showing {shown} of {pages}").format(shown=len(self._images),
                                                                  pages=report.pages)
        self.status.setText(text)

    def _render_next(self, first: int, generation: int) -> None:
        """Render the next few pages in the background and show them when they come."""
        report = self.report
        if report is None or first > report.pages:
            return
        last = min(report.pages, first + (FIRST_PAGES if first == 1 else CHUNK) - 1)
        pdf = report.pdf

        def shown(pngs):
            if generation != self._generation:
                return
            if not pngs and first == 1:
                self.pages_layout.addWidget(QLabel(_("No page preview: poppler-utils (pdftoppm) "
                                                     "is not installed. The report can still be "
                                                     "saved.")))
                return
            for png in pngs:
                self._add_page(QImage.fromData(png))
            self._show_status()
            if pngs:
                self._render_next(last + 1, generation)

        self.runner.run(lambda: render_pages(pdf, first=first, last=last), shown,
                        lambda exc: self._failed(exc, generation), label=_("Showing the pages…"))

    def _add_page(self, image: QImage) -> None:
        self._images.append(image)
        label = QLabel()
        label.setStyleSheet("border: 1px solid #B8C4D3; background: white;")
        label.setPixmap(self._scaled(image))
        self.pages_layout.addWidget(label)

    def _scaled(self, image: QImage) -> QPixmap:
        z = self.zoom.currentData() / 100
        return QPixmap.fromImage(image.scaledToWidth(max(1, int(image.width() * z)),
                                                     Qt.SmoothTransformation))

    def _apply_zoom(self) -> None:
        labels = [self.pages_layout.itemAt(i).widget() for i in range(self.pages_layout.count())]
        for label, image in zip([w for w in labels if isinstance(w, QLabel)], self._images):
            label.setPixmap(self._scaled(image))

    def _failed(self, exc, generation: int = 0) -> None:
        if generation and generation != self._generation:
            return
        self.status.setText(message_for(exc, self.data_dir))
        self.status.setStyleSheet("color: #C62828;")
        self.lang.setEnabled(True)
        self.kind.setEnabled(True)

    def page_width_shown(self) -> int:
        """Width in pixels of the first page as shown (for the zoom)."""
        item = self.pages_layout.itemAt(0)
        return item.widget().pixmap().width() if item and isinstance(item.widget(), QLabel) else 0

    def page_count_shown(self) -> int:
        return sum(1 for i in range(self.pages_layout.count())
                   if isinstance(self.pages_layout.itemAt(i).widget(), QLabel)
                   and not self.pages_layout.itemAt(i).widget().pixmap().isNull())

    # ---------------------------------------------------------------- actions
    def suggested_name(self) -> str:
        return f"laporan-{self.report.report_no}.pdf" if self.report else "laporan.pdf"

    def save_to(self, path: Path) -> Path:
        atomic_write(path, self.report.pdf)
        self.saved_path = Path(path)
        self.status.setText(_("Saved to {path}").format(path=path))
        return self.saved_path

    def ask_save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the report"),
                                                    str(Path.home() / self.suggested_name()),
                                                    "PDF (*.pdf)")
        if name:
            self.save_to(Path(name))

    def print_to(self, printer) -> None:
        """Paint every page, rendered at 150 dpi, fitted to the printer's page."""
        pngs = render_pages(self.report.pdf, dpi=150)
        painter = QPainter(printer)
        try:
            for i, png in enumerate(pngs):
                if i:
                    printer.newPage()
                image = QImage.fromData(png)
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.KeepAspectRatio)
                painter.setViewport(area.x(), area.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
        finally:
            painter.end()

    def ask_print(self) -> None:
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError:
            self.status.setText(_("Printing is not available here; save the PDF and print it."))
            return
        printer = QPrinter(QPrinter.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.Accepted:
            self.print_to(printer)

    def ask_sign(self) -> None:
        from .sign_dialog import SignDialog
        if self.saved_path is None:
            self.ask_save()
            if self.saved_path is None:
                return
        dialog = SignDialog(self, self.data_dir, self.saved_path, runner=self.runner)
        dialog.signed.connect(lambda path: self.status.setText(
            _("Signed copy saved to {path}").format(path=path)))
        dialog.signed.connect(lambda path: self.keep_signed(path, dialog.role.currentData()))
        dialog.exec()

    def keep_signed(self, path: Path, role: str) -> None:
        """The inspector's signed copy becomes part of the assessment (sent by the next sync,
        where the supervisor countersigns it)."""
        if role != "inspector":
            return
        from assessor_app.store import AssessmentStore
        store = AssessmentStore(self.data_dir, actor="sign")
        try:
            store.keep_signed_report(self.uuid, Path(path).read_bytes(), "signed")
        except Exception as exc:  # noqa: BLE001 - the signed file itself is saved either way
            self.status.setText(message_for(exc, self.data_dir))
        finally:
            store.close()


def open_report_dialog(parent, data_dir, uuid: str) -> None:
    """Ask which report, then show it (modal); generation runs in the background."""
    kind = ask_report_kind(parent)
    if kind is None:
        return
    dialog = ReportPreviewDialog(parent, Path(data_dir), uuid, kind=kind)
    dialog.exec()
