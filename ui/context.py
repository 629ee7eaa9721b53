"""What every page is given: the data folder, the GUI thread's store, the background runner, the
dialogs, and the "saved" signal behind the status bar. Built once in :mod:`ui.app`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from assessor_app.errors import AssessmentNotFound, UserError
from assessor_app.store import AssessmentStore

from .background import BackgroundRunner
from .dialogs import Dialogs
from .i18n import _

#: returned by :meth:`Context.write` when the write was refused (the person has been told why)
FAILED = object()


class Context(QObject):
    """Plain holder passed into constructors (no global application object)."""

    saved = Signal(str)            # local time of the last commit, "14:02:31"
    language_changed = Signal(str)
    data_changed = Signal()        # assessments were added, deleted or changed status
    notice = Signal(str)           # a short message for the status bar ("Undid: …")

    def __init__(self, data_dir: Path, store: AssessmentStore, runner: BackgroundRunner,
                 dialogs: Dialogs, parent=None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.store = store
        self.runner = runner
        self.dialogs = dialogs
        self.last_saved: str | None = None

    @property
    def actor(self) -> str:
        return self.store.actor

    def worker_store(self) -> AssessmentStore:
        """A store for a background function (call inside the worker: one store per thread)."""
        return AssessmentStore(self.data_dir, actor=self.store.actor)

    def write(self, parent, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run one store write on the GUI thread. On success the status bar says "Saved";
        a refused write is the one thing that interrupts the person (with what to do)."""
        try:
            result = fn(*args, **kwargs)
        except AssessmentNotFound:
            # deleted meanwhile (on the home page, or by the command line): say so plainly and
            # let the main window close it
            self.dialogs.error(parent, _("This assessment no longer exists (its draft was "
                                         "deleted), so nothing was saved. It is closed now."))
            self.data_changed.emit()
            return FAILED
        except UserError as exc:
            self.dialogs.show_exception(parent, exc)
            return FAILED
        self.mark_saved()
        return result

    def mark_saved(self) -> None:
        self.last_saved = dt.datetime.now().strftime("%H:%M:%S")
        self.saved.emit(self.last_saved)

    def setting(self, key: str, default: Any = None) -> Any:
        return self.store.get_setting(key, default)
