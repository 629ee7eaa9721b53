"""Where things live on disk: the user's data folder and the shipped resources.

The data folder is, in order of precedence: an explicit ``--data-dir``, the ``ASSESSOR_DATA_DIR``
environment variable, then the platform's user data folder (platformdirs), e.g.
``~/.local/share/assessor`` on Linux.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "assessor"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Resolve (and create) the data folder."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get("ASSESSOR_DATA_DIR"):
        path = Path(os.environ["ASSESSOR_DATA_DIR"])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The shipped resources folder (inside a PyInstaller bundle or beside the package)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
