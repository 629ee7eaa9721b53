"""Start the desktop app: ``assessor`` with no arguments calls :func:`main`.

Everything is built here and passed into constructors (no global application object): the
store for the GUI thread, the background runner, the dialogs, the context, the main window.
The first run asks for the inspector, organisation and language and offers the demo data;
later runs reopen where the inspector left off.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from assessor_app import __version__
from assessor_app.errors import UserError
from assessor_app.i18n import LANGUAGES, language, set_language
from assessor_app.paths import data_dir as resolve_data_dir, resource
from assessor_app.store import AssessmentStore

from . import theme
from .background import BackgroundRunner
from .context import Context
from .dialogs import Dialogs
from .errors import install_excepthook
from .first_run import DONE_KEY, FirstRunDialog
from .i18n import _
from . import qt_translations
from .lock import DEFAULT_LOCK_MINUTES, LOCK_SETTING, IdleLock, dialog_prompt, unlock
from .main_window import MainWindow

SEEN_KEY = "default_templates_installed"
#: environment variable: print when the main window first paints, then quit (docs/performance.md)
STARTUP_PROBE = "ASSESSOR_STARTUP_PROBE"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The application icon from resources/icons (PNG sizes, so no SVG plugin is needed)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource("icons", f"assessor-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def qt_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Assessor")
    app.setOrganizationName("assessor")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("assessor")   # matches packaging/assessor.desktop (taskbar grouping)
    app.setWindowIcon(app_icon())
    theme.apply(app)
    return app


class Application:
    """The app's object graph for one data folder."""

    def __init__(self, data_dir: Path | str | None = None, *, inline: bool = False,
                 dialogs: Dialogs | None = None, prompt=None):
        self.qt = qt_app()
        self.data_dir = resolve_data_dir(data_dir)
        self.prompt = prompt or dialog_prompt()
        if not unlock(self.data_dir, self.prompt):
            raise Cancelled(_("the data folder stays locked"))
        self.store = AssessmentStore(self.data_dir, actor="inspector")
        self.store.actor = self.store.get_setting("inspector_name") or os.environ.get("USER") or "inspector"
        lang = self.store.get_setting("language") or language()   # default: ASSESSOR_LANG, else id
        set_language(lang if lang in LANGUAGES else "id")
        qt_translations.install(language())        # Qt's own dialogs in the same language
        self.runner = BackgroundRunner(inline=inline)
        self.dialogs = dialogs or Dialogs(self.data_dir)
        self.dialogs.settings = self.store          # file pickers remember the last folder
        self.ctx = Context(self.data_dir, self.store, self.runner, self.dialogs)
        self.window = MainWindow(self.ctx)
        self.idle_lock = IdleLock(
            self.data_dir, self.window,
            lambda: self.store.get_setting(LOCK_SETTING, DEFAULT_LOCK_MINUTES),
            self.prompt, self.qt.closeAllWindows)
        if not inline:   # tests keep pytest-qt's hook, which fails the test on an exception
            install_excepthook(self.data_dir, self.dialogs, lambda: self.window)

    @property
    def first_run(self) -> bool:
        return not self.store.get_setting(DONE_KEY, False)

    def install_templates(self) -> None:
        """Install the shipped templates (new files or new versions) in the background.
        Files already installed unchanged are skipped by their hash, so a start stays quick."""
        def work():
            store = self.ctx.worker_store()
            try:
                files = sorted(resource("templates").glob("*.yaml"))
                seen = store.get_setting(SEEN_KEY, {}) or {}
                now = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
                if now != seen or not store.list_templates():
                    store.install_default_templates()
                    store.set_setting(SEEN_KEY, now)
                return len(files)
            finally:
                store.close()
        self.runner.run(work, lambda n: (self.window.templates.reload(), self.window.home.reload()),
                        lambda e: self.dialogs.show_exception(self.window, e),
                        label=_("Loading templates…"))

    def start(self, *, interactive: bool = True) -> FirstRunDialog | None:
        """Show the window; on the first run return (or run) the welcome dialog."""
        self.window.show_placed()
        self.install_templates()
        if not self.first_run:
            self.window.restore()
            return None
        dialog = FirstRunDialog(self.ctx, self.window)
        dialog.accepted.connect(lambda: self.finish_first_run(dialog))
        if interactive:
            dialog.exec()
        return dialog

    def finish_first_run(self, dialog: FirstRunDialog) -> None:
        self.window.apply_language(dialog.language.currentData())
        if dialog.wants_demo:
            self.window.load_demo()
        else:
            self.window.home.reload()

    def close(self) -> None:
        self.window.close()
        self.runner.wait()
        self.store.close()


class FirstPaintProbe(QObject):
    """With ASSESSOR_STARTUP_PROBE=1: print ``ASSESSOR_FIRST_WINDOW <unix time>`` when the main
    window first paints, then close every window, so a harness can time a cold start."""

    def __init__(self, app: Application):
        super().__init__()
        self.app = app
        self.fired = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if not self.fired and event.type() == QEvent.Type.Paint:
            self.fired = True
            print(f"ASSESSOR_FIRST_WINDOW {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self.app.qt.closeAllWindows)
        return False


class Cancelled(UserError):
    """The passphrase dialog was cancelled: the app does not open."""


def main(data_dir: Path | str | None = None) -> int:
    """Open the desktop app on ``data_dir`` (default: ASSESSOR_DATA_DIR or the user data folder)."""
    try:
        app = Application(data_dir)
    except Cancelled:
        return 0
    probe = FirstPaintProbe(app) if os.environ.get(STARTUP_PROBE) == "1" else None
    if probe is not None:
        app.window.installEventFilter(probe)
    app.start()
    # the probe may already have closed the windows inside the first-run dialog's own loop
    code = 0 if probe is not None and probe.fired else app.qt.exec()
    app.close()
    return int(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
