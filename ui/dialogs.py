"""The questions the app asks a person, in one replaceable object.

Each page receives a :class:`Dialogs` and asks through it (one question per dialog). Tests pass a
:class:`ScriptedDialogs` that records what was shown and answers from a queue, so flows that ask
("Delete this draft?") run without a person at the keyboard.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from .errors import message_for
from .i18n import _

IMAGE_FILTER = "*.jpg *.jpeg *.png *.webp *.JPG *.JPEG *.PNG"


class Dialogs:
    def __init__(self, data_dir=None):
        self.data_dir = data_dir
        self.settings = None        # the store (set by the app): remembers the last folder

    # ------------------------------------------------------------------ the last folder used
    def last_folder(self) -> str:
        folder = self.settings.get_setting("last_folder") if self.settings is not None else None
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember_folder(self, path: str | None) -> None:
        """File pickers open where the person last picked a file."""
        if path and self.settings is not None:
            folder = str(Path(path).expanduser().parent)
            if folder != self.settings.get_setting("last_folder"):
                self.settings.set_setting("last_folder", folder)

    def error(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.warning(parent, _("Assessor"), message)

    def show_exception(self, parent: QWidget | None, exc: BaseException) -> None:
        self.error(parent, message_for(exc, self.data_dir))

    def info(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.information(parent, _("Assessor"), message)

    def confirm(self, parent: QWidget | None, question: str, yes: str, no: str | None = None) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Assessor"), question,
                          QMessageBox.StandardButton.NoButton, parent)
        ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok

    def ask_text(self, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def open_images(self, parent: QWidget | None) -> list[str]:
        files, _filter = QFileDialog.getOpenFileNames(
            parent, _("Add photos"), self.last_folder(), f"{_('Images')} ({IMAGE_FILTER})")
        if files:
            self.remember_folder(files[0])
        return files

    def open_file(self, parent: QWidget | None, title: str, pattern: str) -> str | None:
        path, _filter = QFileDialog.getOpenFileName(parent, title, self.last_folder(), pattern)
        self.remember_folder(path)
        return path or None


class ScriptedDialogs(Dialogs):
    """For tests: records messages; answers confirmations, texts and file choices from queues."""

    def __init__(self, data_dir=None):
        super().__init__(data_dir)
        self.shown: list[str] = []
        self.answers: list = []

    def _next(self, default):
        return self.answers.pop(0) if self.answers else default

    def error(self, parent, message):
        self.shown.append(message)

    def info(self, parent, message):
        self.shown.append(message)

    def confirm(self, parent, question, yes, no=None):
        self.shown.append(question)
        return bool(self._next(True))

    def ask_text(self, parent, title, label, text=""):
        self.shown.append(label)
        return self._next(None)

    def open_images(self, parent):
        return list(self._next([]))

    def open_file(self, parent, title, pattern):
        return self._next(None)
