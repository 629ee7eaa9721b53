"""Extension points wired later by other parts of the project, looked up by module name.

* Report: ``ui.report_preview.open_report_dialog(parent, data_dir, uuid)``; the checklist's
  "Report" button is shown only when that module exists.
* Sync: ``ui.sync_panel.open_sync_dialog(parent, data_dir)`` and optionally
  ``ui.sync_panel.sync_state_text(data_dir) -> str`` (shown in the status bar); the top bar's "Sync"
  action is shown only when that module exists.
"""

from __future__ import annotations

import importlib
import importlib.util

REPORT_MODULE = "ui.report_preview"
SYNC_MODULE = "ui.sync_panel"


def available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def load(name: str):
    """The module, or None when it is not part of this installation."""
    if not available(name):
        return None
    return importlib.import_module(name)
