"""Unlocking an encrypted data folder at start, and locking it again after idle time.

At start the key comes from the system keyring when the folder was set to use it, else the app
asks for the passphrase (ASSESSOR_PASSPHRASE, when set, is used without asking). After
``lock_after_minutes`` (a setting, default 10; 0 turns it off) without a key press or click,
the window is hidden, the key is forgotten by the process's key table (no new store or photo
read can use it) and the passphrase is asked again before the window comes back.
"""

from __future__ import annotations

import os
import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from assessor_app import vault
from assessor_app.errors import UserError

from .i18n import _

LOCK_SETTING = "lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10
MAX_TRIES = 5

Prompt = Callable[[str], "str | None"]


def dialog_prompt(parent: QWidget | None = None) -> Prompt:
    """Ask for the passphrase in a password field; None when cancelled."""
    def ask(message: str) -> str | None:
        text, ok = QInputDialog.getText(parent, _("Assessor is locked"), message,
                                        QLineEdit.EchoMode.Password)
        return text if ok else None
    return ask


def unlock(data_dir, prompt: Prompt, *, warn: Callable[[str], None] | None = None,
           silent: bool = True) -> bool:
    """Make sure the key of ``data_dir`` is unlocked; True when it is (or the folder is plain).
    ``silent`` first tries ASSESSOR_PASSPHRASE and the keyring (at start, not after idle)."""
    if not vault.is_encrypted(data_dir) or vault.key_for(data_dir) is not None:
        return True
    if silent:
        try:
            vault.unlock(data_dir, os.environ.get(vault.PASSPHRASE_ENV))
            return True
        except UserError:
            pass
    message = _("This data folder is encrypted. Enter its passphrase:")
    for _try in range(MAX_TRIES):
        secret = prompt(message)
        if secret is None:
            return False
        try:
            vault.unlock(data_dir, secret)
            return True
        except vault.WrongPassphrase:
            message = _("Wrong passphrase. Try again:")
        except UserError as exc:
            if warn:
                warn(str(exc))
            return False
    return False


class IdleLock(QObject):
    """Hides ``window`` and forgets the key after ``minutes`` without user input."""

    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}

    def __init__(self, data_dir, window: QWidget, minutes: Callable[[], float], prompt: Prompt,
                 on_give_up: Callable[[], None], clock=time.monotonic):
        super().__init__(window)
        self.data_dir, self.window, self.minutes_setting = data_dir, window, minutes
        self.prompt, self.on_give_up, self.clock = prompt, on_give_up, clock
        self.last = clock()
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        if vault.is_encrypted(data_dir):
            QApplication.instance().installEventFilter(self)
            self.timer.start()

    @property
    def minutes(self) -> float:
        """The current setting (read at each check, so a change in Settings applies at once)."""
        try:
            value = self.minutes_setting()
        except Exception:  # noqa: BLE001 - a locked or closing store: keep the lock as it is
            return 0
        return float(value) if isinstance(value, (int, float)) and value > 0 else 0

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self.INPUT:
            self.last = self.clock()
        return False

    def check(self) -> None:
        if not self.locked and self.minutes > 0 and self.clock() - self.last >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Hide the window, forget the key, and ask for the passphrase again."""
        self.locked = True
        self.window.hide()
        vault.lock(self.data_dir)
        if unlock(self.data_dir, self.prompt, silent=False,
                  warn=lambda m: QMessageBox.warning(None, _("Assessor"), m)):
            self.locked = False
            self.last = self.clock()
            self.window.show()
        else:
            self.on_give_up()
