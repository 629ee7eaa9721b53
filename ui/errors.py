"""Showing failures: a person sees one plain sentence in their language, never a traceback.

``UserError`` messages come from the core and say what to do; anything unexpected is logged to
``<data folder>/logs/errors.log`` by the ``sys.excepthook`` installed here, and the person is told
where the details are.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

from assessor_app.errors import UserError

from .i18n import _

LOG_NAME = "errors.log"


def log_unexpected(data_dir: Path, exc: BaseException) -> Path:
    folder = Path(data_dir) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {stamp}\n{text}\n")
    return path


def message_for(exc: BaseException, data_dir: Path | None = None) -> str:
    """What a person reads for ``exc``: the core's message, or a plain sentence."""
    if isinstance(exc, UserError):
        return _(str(exc))
    where = ""
    if data_dir is not None:
        where = " " + _("The details were written to {path}.").format(
            path=log_unexpected(data_dir, exc))
    return _("Something went wrong. Your saved work is safe.") + where


def install_excepthook(data_dir: Path, dialogs, parent_getter=lambda: None) -> None:
    """Route every uncaught exception to the log and a plain message (never a traceback)."""
    previous = sys.excepthook

    def hook(kind, exc, tb):
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        try:
            dialogs.error(parent_getter(), message_for(exc, data_dir))
        except Exception:  # noqa: BLE001 - last resort: never lose the original report
            previous(kind, exc, tb)

    sys.excepthook = hook
