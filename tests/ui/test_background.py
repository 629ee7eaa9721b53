"""The background helper and the crash handler."""

import sys
import threading

from assessor_app.errors import UserError

from ui.background import BackgroundRunner
from ui.dialogs import ScriptedDialogs
from ui.errors import install_excepthook, message_for


def test_work_runs_off_the_gui_thread_and_results_come_back_on_it(qtbot):
    runner = BackgroundRunner()
    main = threading.get_ident()
    seen = {}
    runner.run(lambda: threading.get_ident(), lambda tid: seen.update(worker=tid,
                                                                      back=threading.get_ident()))
    runner.run(lambda: 1 / 0, None, lambda exc: seen.update(error=type(exc).__name__))
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen["worker"] != main and seen["back"] == main
    assert seen["error"] == "ZeroDivisionError" and runner.busy == 0


def test_unexpected_errors_are_logged_and_shown_plainly(tmp_path):
    dialogs = ScriptedDialogs(tmp_path)
    previous = sys.excepthook
    try:
        install_excepthook(tmp_path, dialogs)
        try:
            raise KeyError("secret-internal")
        except KeyError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    assert "Something went wrong" in dialogs.shown[0] and "Traceback" not in dialogs.shown[0]
    log = (tmp_path / "logs" / "errors.log").read_text()
    assert "secret-internal" in log and "Traceback" in log
    assert message_for(UserError("the assessed unit needs a name")) == "the assessed unit needs a name"
