"""Long work off the GUI thread: ``run_in_background(fn, on_done, on_error)`` on a QThreadPool.

``fn`` runs in a worker thread and must never touch widgets or the GUI thread's AssessmentStore:
open a store of its own (``AssessmentStore(data_dir)``) if it needs one. ``on_done(result)`` and
``on_error(exception)`` run on the GUI thread (the result crosses by a queued Signal).
Tests set ``runner.inline = True`` so the work runs at once, in order.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn, self.relay = fn, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class BackgroundRunner(QObject):
    """Runs callables on its own QThreadPool; ``busy_changed(count, label)`` drives the
    progress indicator in the status bar."""

    busy_changed = Signal(int, str)

    def __init__(self, inline: bool = False, threads: int = 2, parent=None):
        super().__init__(parent)
        self.inline = inline
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()
        self._labels: list[str] = []

    @property
    def busy(self) -> int:
        return len(self._labels)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, label: str = "") -> None:
        self._labels.append(label)
        self.busy_changed.emit(self.busy, label)

        def finish(callback, value):
            self._labels.remove(label)
            self.busy_changed.emit(self.busy, self._labels[-1] if self._labels else "")
            if callback is not None:
                callback(value)
            elif isinstance(value, BaseException):
                raise value

        if self.inline:
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001
                finish(on_error, exc)
            else:
                finish(on_done, result)
            return
        relay = _Relay()
        self._relays.add(relay)

        def done(result):
            self._relays.discard(relay)
            finish(on_done, result)

        def failed(exc):
            self._relays.discard(relay)
            finish(on_error, exc)

        relay.done.connect(done)
        relay.failed.connect(failed)
        self.pool.start(_Task(fn, relay))

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None] | None,
                      on_error: Callable[[BaseException], None] | None,
                      runner: BackgroundRunner | None = None, label: str = "") -> BackgroundRunner:
    """Run ``fn`` off the GUI thread (on ``runner``, or a new one) and hand back its result."""
    runner = runner or BackgroundRunner()
    runner.run(fn, on_done, on_error, label)
    return runner
