"""Shared test set-up.

Qt must never try to reach a display in tests: without QT_QPA_PLATFORM and with no display,
pytest aborts with no message. Messages are compared in English.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ASSESSOR_LANG", "en")
