"""Assessor core: everything that is true without a screen.

This package never imports PySide6 or ``ui`` (tests/test_architecture.py enforces it), so the
same code serves the desktop app, the ``assessor`` command, the sync server and the tests.
"""

__version__ = "0.1.0"
