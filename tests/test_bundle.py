"""The desktop bundle: self-test, what build.spec carries, the menu entry and icon, the version.

The default suite never builds the bundle (a build takes minutes). It runs the self-test from the
source tree, checks the spec and the packaging files, and runs the built bundle's self-test only
when dist/assessor exists and is newer than the sources, or when ASSESSOR_BUILD_BUNDLE=1 (then it
builds it first). scripts/bundle-check.sh does the full build-and-check for CI.
"""

from __future__ import annotations

import ast
import configparser
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image

from assessor_app import __version__, selftest
from assessor_app.store import migrations

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
DESKTOP = ROOT / "packaging" / "assessor.desktop"
ICONS = ROOT / "resources" / "icons"
FIXTURE_V1 = ROOT / "tests" / "fixtures" / "db-v1"
BUNDLE = ROOT / "dist" / "assessor"
STEPS = ["modules", "data folder", "default templates", "demo data", "report", "throw-away certificates",
         "sign", "verify"]


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def _assert_passed(out: str, steps=STEPS) -> None:
    for step in steps:
        assert re.search(rf"^  \[ OK \] {re.escape(step)}: .*\(\d+\.\d\d s\)$", out, re.M), (step, out)
    assert "[FAIL]" not in out
    assert re.search(r"^self-test passed: \d+ steps in [\d.]+ s$", out, re.M), out


# ---------------------------------------------------------------------------- from the sources
def test_self_test_from_source_passes_and_prints_each_step(tmp_path):
    """``python -m assessor_app --self-test`` with Qt's offscreen platform: the core round trip,
    then the window; the user's data folder is never created."""
    user_data = tmp_path / "user-data"
    run = subprocess.run([sys.executable, "-m", "assessor_app", "--self-test"], cwd=tmp_path,
                         env=_env(QT_QPA_PLATFORM="offscreen", ASSESSOR_DATA_DIR=str(user_data)),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith(f"Assessor {__version__} self-test (python ")
    _assert_passed(run.stdout, STEPS + ["desktop window"])
    assert f"'Assessor {__version__}'" in run.stdout          # the window title shows the version
    assert "1 signature intact and trusted" in run.stdout
    assert not user_data.exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Windows and macOS always have a display")
def test_self_test_without_display_skips_only_the_window(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    out = io.StringIO()
    assert selftest.run(out=out) == 0
    text = out.getvalue()
    _assert_passed(text)
    assert "[SKIP] desktop window: no display" in text


def test_self_test_upgrades_a_schema_1_data_folder_with_a_backup(tmp_path):
    """--data-dir: the folder is opened in place, migrated with a backup, chains and scores
    checked; the demo still runs elsewhere (the folder keeps its one assessment)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_V1, data)
    out = io.StringIO()
    assert selftest.run(data, gui=False, out=out) == 0, out.getvalue()
    text = out.getvalue()
    _assert_passed(text, ["existing data folder opened", "existing history chains",
                          "existing scores"] + STEPS)
    if migrations.LATEST > 1:
        assert f"schema 1 -> {migrations.LATEST}, backup assessor.db.before-v1-" in text
        assert len(list(data.glob("assessor.db.before-v1-*.bak"))) == 1
    assert "1 assessments, 15 entries, all chains intact" in text
    assert "1 assessments re-scored, all match the stored scores" in text
    import sqlite3
    conn = sqlite3.connect(data / "assessor.db")
    assert conn.execute("SELECT count(*) FROM assessments").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST


def test_self_test_fails_on_a_folder_without_a_database_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(selftest, "round_trip", lambda t, tmp: None)   # only the folder check
    out = io.StringIO()
    assert selftest.run(tmp_path / "nothing", gui=False, out=out) == 1
    text = out.getvalue()
    assert "[FAIL] existing data folder opened: StepFailed: no assessor.db in" in text
    assert "self-test FAILED (existing data folder opened)" in text
    assert not (tmp_path / "nothing" / "assessor.db").exists()


def test_self_test_reports_a_failing_step_and_skips_the_rest(monkeypatch):
    import assessor_app.reports as reports

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(reports, "build_report", broken)
    out = io.StringIO()
    assert selftest.run(gui=False, out=out) == 1
    text = out.getvalue()
    assert "[FAIL] report: RuntimeError: fonts missing" in text
    assert "[SKIP] sign: an earlier step failed" in text and "[SKIP] verify:" in text


# ---------------------------------------------------------------------------- spec and packaging
def _spec_value(name: str):
    tree = ast.parse(SPEC.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in build.spec")


def test_spec_carries_every_resources_folder_and_the_modules_loaded_by_name():
    listed = _spec_value("RESOURCE_DIRS")
    present = sorted(p.name for p in (ROOT / "resources").iterdir() if p.is_dir())
    assert sorted(listed) == present
    text = SPEC.read_text("utf-8")
    from assessor_app.cli import OPTIONAL_COMMANDS
    hidden = _spec_value("hiddenimports")
    for module in ["ui.app", "assessor_app.selftest", *OPTIONAL_COMMANDS]:
        path = ROOT / (module.replace(".", "/") + ".py")
        if path.is_file():
            assert module in hidden or f'"{module}"' in text, module
    assert "tkinter" in _spec_value("excludes")
    assert "assessor_app.server" in _spec_value("excludes")


def test_desktop_entry_is_valid():
    validator = shutil.which("desktop-file-validate")
    if validator:
        run = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True)
        assert run.returncode == 0 and not run.stdout.strip(), run.stdout + run.stderr
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str   # keys are case-sensitive
    parser.read_string(DESKTOP.read_text("utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "Assessor"
    assert entry["Exec"].split()[0] == "assessor" and entry["Terminal"] == "false"
    assert entry["Icon"] == "assessor" and (ICONS / "assessor.svg").is_file()
    categories = entry["Categories"]
    assert categories.endswith(";") and "Office" in categories.split(";")
    assert entry["Keywords"].endswith(";")
    for key in entry:
        base = key.split("[")[0]
        assert base in {"Type", "Version", "Name", "GenericName", "Comment", "Exec", "TryExec",
                        "Icon", "Terminal", "Categories", "Keywords", "StartupNotify",
                        "StartupWMClass"}, key


def test_icon_files_have_their_sizes():
    root = ElementTree.parse(ICONS / "assessor.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 256 256"
    for size in (16, 24, 32, 48, 64, 128, 256):
        with Image.open(ICONS / f"assessor-{size}.png") as img:
            assert img.size == (size, size) and img.mode == "RGBA"
    with Image.open(ICONS / "assessor.ico") as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    assert (ICONS / "assessor.icns").read_bytes()[:4] == b"icns"


def test_window_title_about_box_and_icon_show_the_version(qtbot, tmp_path):
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs
    app = Application(tmp_path / "data", inline=True, dialogs=ScriptedDialogs(tmp_path / "data"))
    qtbot.addWidget(app.window)
    try:
        assert app.window.windowTitle() == f"Assessor {__version__}"
        assert not app.qt.windowIcon().isNull()
        assert app.qt.applicationVersion() == __version__
        box = app.window.show_about(exec_dialog=False)
        assert __version__ in box.text() and str(tmp_path / "data") in box.text()
        assert app.window.about_action in app.window.top_bar.actions()
    finally:
        app.window.close()
        app.store.close()


# ---------------------------------------------------------------------------- the built bundle
def _bundle_exe() -> Path | None:
    for name in ("assessor-cli.exe", "assessor-cli", "assessor"):
        if (BUNDLE / name).is_file():
            return BUNDLE / name
    return None


def _sources_newer_than(exe: Path) -> Path | None:
    built = exe.stat().st_mtime
    for folder in ("assessor_app", "ui", "resources"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.stat().st_mtime > built:
                return path
    return SPEC if SPEC.stat().st_mtime > built else None


@pytest.fixture(scope="module")
def bundle_exe():
    if os.environ.get("ASSESSOR_BUILD_BUNDLE") == "1":
        run = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                              "--log-level", "WARN", str(SPEC)], cwd=ROOT, capture_output=True,
                             text=True, timeout=1800)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    exe = _bundle_exe()
    if exe is None:
        pytest.skip("no bundle in dist/assessor: build it with `make bundle`, or set "
                    "ASSESSOR_BUILD_BUNDLE=1 to build it here (a few minutes)")
    newer = _sources_newer_than(exe)
    if newer is not None and os.environ.get("ASSESSOR_BUILD_BUNDLE") != "1":
        pytest.skip(f"dist/assessor is older than {newer.relative_to(ROOT)}: rebuild it with "
                    "`make bundle` (or ASSESSOR_BUILD_BUNDLE=1)")
    return exe


def test_bundle_self_test_passes(bundle_exe, tmp_path):
    run = subprocess.run([str(bundle_exe), "--self-test"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300, env=_env(QT_QPA_PLATFORM="offscreen"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert ", frozen, " in run.stdout.splitlines()[0]
    _assert_passed(run.stdout, STEPS + ["desktop window"])


def test_bundle_opens_a_schema_1_data_folder(bundle_exe, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_V1, data)
    run = subprocess.run([str(bundle_exe), "--self-test", "--no-gui", "--data-dir", str(data)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    _assert_passed(run.stdout, ["existing data folder opened", "existing history chains",
                                "existing scores"] + STEPS)
    if migrations.LATEST > 1:
        assert list(data.glob("assessor.db.before-v1-*.bak"))
