"""The PySide6 desktop app for inspectors. Entry point: :func:`ui.app.main`.

The arrows point one way: ``ui`` calls ``assessor_app`` (the store, scoring, evidence, i18n);
the core never imports ``ui``. No SQL and no scoring rules live here.
"""
