"""The Sync dialog: enrolment (server address + code), "Sync now" in the background with
progress (items, bytes), the last sync time, and any failure in plain words.

Wiring into the main window (owned elsewhere): call ``open_sync_dialog(parent, data_dir)`` from
the Sync action and show ``sync_state_text(data_dir)`` in the top bar. The sync runs on
QThreadPool with its own AssessmentStore (a store is bound to its thread); results come back
through Signals; the worker never touches widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QVBoxLayout, QWidget)

from assessor_app.errors import UserError
from assessor_app.i18n import _, format_number
from assessor_app.store import AssessmentStore

from .checklist.review_panel import local_time


def sync_state_text(data_dir) -> str:
    """"not connected" / "up to date" / "3 waiting" / "failed: reason" for the top bar."""
    from assessor_app.sync.cli import status_line
    with AssessmentStore(data_dir) as store:
        return status_line(store.sync_summary())


class _Signals(QObject):
    progress = Signal(object)     # SyncProgress
    done = Signal(object)         # SyncReport or enrolment answer
    failed = Signal(str)          # a message for a person


class _Job(QRunnable):
    def __init__(self, data_dir: Path, task: str, url: str = "", code: str = "",
                 max_time: float = 60.0):
        super().__init__()
        self.data_dir, self.task, self.url, self.code = data_dir, task, url, code
        self.max_time = max_time
        self.signals = _Signals()

    def run(self) -> None:   # on a pool thread: no widget access here
        from assessor_app.sync import SyncClient, enroll
        try:
            with AssessmentStore(self.data_dir) as store:
                if self.task == "enroll":
                    result = enroll(store, self.url, self.code, max_time=self.max_time)
                else:
                    with SyncClient(store, on_progress=self.signals.progress.emit,
                                    max_time=self.max_time) as client:
                        result = client.sync()
            self.signals.done.emit(result)
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown in words, never a traceback
            self.signals.failed.emit(_("Sync failed unexpectedly: {reason}").format(reason=exc))


class SyncPanel(QWidget):
    """The panel itself (embeddable); ``SyncDialog`` wraps it."""

    finished = Signal()

    def __init__(self, data_dir, parent=None, pool: QThreadPool | None = None,
                 max_time: float = 60.0):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.max_time = max_time
        self.pool = pool or QThreadPool.globalInstance()
        self._job = None
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://sync.example.org")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.enroll_button = QPushButton(_("Connect"))
        self.sync_button = QPushButton(_("Sync now"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.last = QLabel()
        self.items = QProgressBar()
        self.bytes = QLabel()
        form = QFormLayout()
        form.addRow(_("Server address"), self.server)
        form.addRow(_("Enrolment code"), self.code)
        row = QHBoxLayout()
        row.addWidget(self.enroll_button)
        row.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.items)
        layout.addWidget(self.bytes)
        layout.addWidget(self.last)
        layout.addWidget(self.status)
        self.enroll_button.clicked.connect(self.start_enroll)
        self.sync_button.clicked.connect(self.start_sync)
        self.refresh()

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        with AssessmentStore(self.data_dir) as store:
            summary = store.sync_summary()
        enrolled = summary["enrolled"]
        if enrolled:
            self.server.setText(summary["server"] or "")
        self.code.setEnabled(not enrolled)
        self.enroll_button.setEnabled(self._job is None)
        self.sync_button.setEnabled(enrolled and self._job is None)
        self.last.setText(_("Last sync: {when}").format(
            when=local_time(summary["last_ok"]) or _("never")))   # local time, not stored UTC
        from assessor_app.sync.cli import status_line
        self.status.setText(status_line(summary))

    def _busy(self, job: _Job) -> None:
        self._job = job
        job.signals.progress.connect(self._progress)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.sync_button.setEnabled(False)
        self.enroll_button.setEnabled(False)
        self.pool.start(job)

    def start_enroll(self) -> None:
        url, code = self.server.text().strip(), self.code.text().strip()
        if not url or not code:
            self.status.setText(_("Enter the server address and the code from your administrator."))
            return
        self.status.setText(_("Connecting..."))
        self._busy(_Job(self.data_dir, "enroll", url, code, self.max_time))

    def start_sync(self) -> None:
        self.status.setText(_("Syncing..."))
        self.items.setValue(0)
        self._busy(_Job(self.data_dir, "sync", max_time=self.max_time))

    def _progress(self, p) -> None:
        self.items.setMaximum(max(p.items_total, 1))
        self.items.setValue(p.items_done)
        self.items.setFormat(_("{done} of {total} assessments").format(done=p.items_done,
                                                                       total=p.items_total))
        self.bytes.setText(_("{done} of {total} MB of photos").format(
            done=format_number(p.bytes_done / 1e6, places=1),
            total=format_number(p.bytes_total / 1e6, places=1)))

    def _done(self, result) -> None:
        self._job = None
        self.refresh()
        if hasattr(result, "pushed"):
            text = _("Sent {n} assessment(s) and {files} photo(s).").format(
                n=len(result.pushed), files=result.files)
            for m in result.merged:
                text += "\n" + _("{uuid}: merged with changes from another device; flagged for "
                                 "the supervisor.").format(uuid=self._title(m["uuid"]))
            for m in result.locked + result.refused:
                text += f"\n{self._title(m['uuid'])}: {m['message']}"
            self.status.setText(text)
        else:
            text = _("Connected as {user}.").format(user=result["user"])
            if result.get("sync_reset"):
                text += "\n" + _("This laptop was enrolled with another server before: at the "
                                 "next sync everything is sent to this server again.")
            self.status.setText(text)
        self.finished.emit()

    def _title(self, uuid: str) -> str:
        """The assessment as a person knows it (unit - agency), not its id."""
        try:
            with AssessmentStore(self.data_dir) as store:
                return store.get(uuid).title()
        except UserError:
            return _("an assessment no longer on this laptop")

    def _failed(self, message: str) -> None:
        self._job = None
        self.refresh()
        self.status.setText(_("Sync failed: {reason}").format(reason=message))
        self.finished.emit()


class SyncDialog(QDialog):
    def __init__(self, data_dir, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Sync"))
        self.panel = SyncPanel(data_dir, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close)


def open_sync_dialog(parent, data_dir) -> SyncDialog:
    """Show the Sync dialog (non-blocking for the rest of the app while a sync runs). Returns
    it: ``dialog.panel.finished`` tells the window a sync (or enrolment) ended, to refresh."""
    dialog = SyncDialog(data_dir, parent)
    dialog.setModal(False)
    dialog.show()
    if parent is not None:
        parent._sync_dialog = dialog   # keep a reference while it is open
    return dialog
