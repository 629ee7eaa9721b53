"""Fixtures for the desktop app tests: a real store in a temp folder, background work inline,
dialogs answered from a script (the store is never mocked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor_app.i18n import set_language

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "templates" / "mini.yaml"


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def make_app(qtbot, tmp_path):
    """``make_app(first_run=False)`` -> a started Application on ``tmp_path/data``."""
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs
    made = []

    def make(first_run: bool = False, data_dir: Path | None = None, lang: str = "en"):
        data = data_dir or tmp_path / "data"
        dialogs = ScriptedDialogs(data)
        app = Application(data, inline=True, dialogs=dialogs)
        if not first_run and not app.store.get_setting("first_run_done"):
            for key, value in (("first_run_done", True), ("inspector_name", "Rina"),
                               ("language", lang)):
                app.store.set_setting(key, value)
            app.store.actor = "Rina"
            set_language(lang)
        app.store.import_template(MINI)
        qtbot.addWidget(app.window)
        made.append(app)
        app.first_dialog = app.start(interactive=False)
        return app

    yield make
    for app in made:
        app.window.close()
        app.store.close()


def new_mini(app, unit: str = "Kantor Contoh", samples=("Ani", "Budi")) -> str:
    return app.store.create_assessment("mini", unit={"unit": unit, "agency": "Pemkot Contoh",
                                                     "address": "Jl. Contoh 1"},
                                       visit_dates=["2026-11-02"], inspectors=["Rina"],
                                       samples={"dim_b": list(samples)})
