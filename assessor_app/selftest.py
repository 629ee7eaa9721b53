"""``assessor --self-test``: prove that this installation (often a PyInstaller bundle) works.

Qt-free and headless. In a throw-away temp folder it creates a data folder, installs the default
templates, loads the demo, writes the PDF report of a completed demo assessment, makes a
throw-away CA and inspector certificate (``assessor_app.pki``), signs the report and verifies it
with that root as the only trust anchor. Each step prints one line with its timing; the exit
status is 0 only when every step passed. The temp folder is removed afterwards.

``--data-dir DIR`` adds a check of an existing data folder first: it is opened *in place* like
the app would open it (older schemas are migrated, with the ``assessor.db.before-vN-*.bak`` copy
beside it), then every assessment's history chain is verified and every score re-computed and
compared with the cached one. The demo/report/sign/verify steps still run in a separate temp
folder, so the folder given is never filled with demo data.

Last, when a display is available (``DISPLAY``/``WAYLAND_DISPLAY``, Windows, macOS) or
``QT_QPA_PLATFORM`` names a platform (``offscreen``), the desktop window is opened and closed;
without one, or with ``--no-gui``, that step is reported as skipped. The core never imports Qt:
``ui.app`` is loaded by name only for that step.

Example output::

    Assessor 0.1.0 self-test (python 3.11.2, frozen)
      [ OK ] modules: 6 modules loaded on demand import  (0.30 s)
      [ OK ] data folder: /tmp/assessor-selftest-x/data  (0.02 s)
      [ OK ] default templates: 3 installed  (0.41 s)
      ...
    self-test passed: 8 steps in 4.9 s
"""

from __future__ import annotations

import importlib
import os
import platform
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from . import __version__


class StepFailed(Exception):
    """A self-test step did not do what it should; the message says what was found."""


class SelfTest:
    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.results: list[tuple[str, bool, str]] = []
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def step(self, name: str, fn: Callable[[], str | None]) -> bool:
        t0 = time.perf_counter()
        try:
            detail = fn() or ""
            ok = True
        except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next step runs
            detail = f"{type(exc).__name__}: {exc}"
            ok = False
        dt = time.perf_counter() - t0
        self.results.append((name, ok, detail))
        self.say(f"  [{' OK ' if ok else 'FAIL'}] {name}: {detail}  ({dt:.2f} s)")
        return ok

    def skip(self, name: str, why: str) -> None:
        self.say(f"  [SKIP] {name}: {why}")

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(ok for _, ok, _ in self.results)


# ---------------------------------------------------------------------------- existing folder
def check_existing(t: SelfTest, folder: Path) -> None:
    """Open ``folder`` in place (migrating with a backup), verify history chains and scores."""
    from .store import AssessmentStore, migrations
    from .store.base import DB_NAME

    db_path = folder / DB_NAME
    state: dict = {}

    def open_it():
        if not db_path.is_file():
            raise StepFailed(f"no {DB_NAME} in {folder}; give the data folder of an installation")
        from . import vault
        if vault.is_encrypted(folder):   # ASSESSOR_PASSPHRASE or the keyring
            if vault.key_for(folder) is None:
                vault.unlock(folder, vault.passphrase_from_env_or_file(None))
            from .store.base import connect
            conn = connect(db_path, vault.key_for(folder))
        else:
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            before = migrations.schema_version(conn)
        finally:
            conn.close()
        backups_before = set(folder.glob(f"{DB_NAME}.before-v*.bak"))
        store = AssessmentStore(folder, actor="self-test")
        state["store"] = store
        after = migrations.schema_version(store.conn)
        new = sorted(set(folder.glob(f"{DB_NAME}.before-v*.bak")) - backups_before)
        if after != migrations.LATEST:
            raise StepFailed(f"schema {after} after opening, expected {migrations.LATEST}")
        if before < after:
            if before > 0 and not new:
                raise StepFailed(f"migrated schema {before} -> {after} without a backup copy")
            return f"{folder}: schema {before} -> {after}, backup {new[-1].name if new else '-'}"
        return f"{folder}: schema {after} (current, nothing to migrate)"

    if not t.step("existing data folder opened", open_it):
        return
    store = state["store"]
    try:
        rows = store.conn.execute(
            "SELECT uuid, score, score_dirty FROM assessments ORDER BY created_at").fetchall()

        def chains():
            bad = []
            entries = 0
            for uuid, _score, _dirty in rows:
                check = store.verify_history(uuid)
                entries += check.entries
                if not check.ok:
                    bad.append(f"{uuid[:8]}: {check.problem}")
            if bad:
                raise StepFailed("broken history chain: " + "; ".join(bad))
            return f"{len(rows)} assessments, {entries} entries, all chains intact"

        def scores():
            bad = []
            for uuid, cached, dirty in rows:
                result = store.score(uuid)
                now = float(result.total) if result.total is not None else None
                if not dirty and cached is not None and (now is None or abs(now - cached) > 0.005):
                    bad.append(f"{uuid[:8]}: stored {cached}, re-scored {now}")
            if bad:
                raise StepFailed("score differs: " + "; ".join(bad))
            return f"{len(rows)} assessments re-scored, all match the stored scores"

        t.step("existing history chains", chains)
        t.step("existing scores", scores)
    finally:
        store.close()


# ---------------------------------------------------------------------------- the demo round trip
def round_trip(t: SelfTest, tmp: Path) -> None:
    """Data folder, templates, demo, report, throw-away CA, sign, verify: all inside ``tmp``."""
    from .store import AssessmentStore

    st: dict = {}

    def data_folder():
        st["store"] = AssessmentStore(tmp / "data", actor="self-test")
        return str(tmp / "data")

    def templates():
        st["store"].install_default_templates()
        found = st["store"].list_templates()
        if not found:
            raise StepFailed("no default templates were installed (resources/templates missing?)")
        return f"{len(found)} installed"

    def demo():
        from .demo import load_demo
        made = load_demo(st["store"])
        if not made:
            raise StepFailed("the demo made no assessments")
        done = [r for r in st["store"].list_assessments(status="completed")]
        if not done:
            raise StepFailed("the demo has no completed assessment to report on")
        st["uuid"] = done[0]["uuid"]
        return f"{len(made)} assessments; reporting on {done[0]['unit']} (score {done[0]['score']})"

    def report():
        from .reports import build_report
        rep = build_report(st["store"], st["uuid"], lang="id")
        if rep.draft:
            raise StepFailed("the report came out as a draft")
        st["pdf"] = rep.pdf
        (tmp / "report.pdf").write_bytes(rep.pdf)
        return f"{rep.report_no}: {rep.pages} pages, {len(rep.pdf) / 1e6:.1f} MB"

    def certificates():
        from .pki import init_ca, issue_person
        ca_pass = secrets.token_urlsafe(18).encode()
        p12_pass = secrets.token_urlsafe(18).encode()
        init_ca(tmp / "pki", "Assessor Self-Test", ca_pass)
        # a report is signed by an inspector it names: the certificate carries that name
        named = [str(p) for p in st["store"].get(st["uuid"]).inspectors if str(p).strip()]
        issue_person(tmp / "pki", ca_pass, name=named[0] if named else "Self Test Inspector",
                     role="inspector", out_p12=tmp / "inspector.p12", p12_passphrase=p12_pass,
                     days=1)
        st["p12_pass"] = p12_pass
        return "throw-away root, issuing CA and inspector .p12"

    def sign():
        from .pki import current_crl
        from .reports import LocalP12Signer, sign_report
        signer = LocalP12Signer.open(tmp / "inspector.p12", st["p12_pass"])
        st["crl"] = current_crl(tmp / "pki")
        st["signed"] = sign_report(st["pdf"], signer, "inspector", crl_der=st["crl"], lang="id")
        (tmp / "report-signed.pdf").write_bytes(st["signed"])
        return f"signed as inspector ({len(st['signed']) / 1e6:.1f} MB)"

    def verify():
        from .pki import ca_certificates
        from .reports import verify_report
        root, _issuing = ca_certificates(tmp / "pki")
        result = verify_report(st["signed"], root, crls=[st["crl"]])
        if not result.ok:
            problems = [p for s in result.signatures for p in s.problems]
            problems += result.data.problems + result.problems
            raise StepFailed("; ".join(problems) or "verification failed")
        sig = result.signatures[0]
        return (f"{len(result.signatures)} signature intact and trusted ({sig.signer}); data "
                f"re-scored {result.data.rescored_total}, QR matches")

    def modules():
        # imported only on some paths (by name, or for a supervisor's timestamp): a bundle that
        # lacks one would fail much later, in front of an inspector
        names = ["assessor_app.reports.cli", "assessor_app.pki.cli", "assessor_app.sync.cli",
                 "pyhanko.sign.timestamps", "babel.dates", "qrcode"]
        for name in names:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name and name == "assessor_app.sync.cli":
                    continue   # the sync client is optional in an installation
                raise
        return f"{len(names)} modules loaded on demand import"

    steps = [("modules", modules), ("data folder", data_folder), ("default templates", templates),
             ("demo data", demo),
             ("report", report), ("throw-away certificates", certificates), ("sign", sign),
             ("verify", verify)]
    try:
        for name, fn in steps:
            if not t.step(name, fn):
                for later, _fn in steps[steps.index((name, fn)) + 1:]:
                    t.skip(later, "an earlier step failed")
                break
    finally:
        if "store" in st:
            st["store"].close()


# ---------------------------------------------------------------------------- optional window
def display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_window(t: SelfTest, tmp: Path) -> None:
    def window():
        app_module = importlib.import_module("ui.app")   # by name: the core never imports Qt
        app = app_module.Application(tmp / "gui", inline=True)
        try:
            app.window.show()
            app.qt.processEvents()
            title = app.window.windowTitle()
            shown = app.window.isVisible()
        finally:
            app.close()
            app.qt.processEvents()
        if not shown:
            raise StepFailed("the main window did not show")
        if __version__ not in title:
            raise StepFailed(f"the window title {title!r} does not show the version {__version__}")
        platform_name = app.qt.platformName()
        return f"main window shown and closed ({platform_name}): {title!r}"

    t.step("desktop window", window)


# ---------------------------------------------------------------------------- entry point
def run(data_dir: str | os.PathLike | None = None, *, gui: bool | None = None, out=None,
        keep: bool = False) -> int:
    """Run the self-test; returns the exit status (0 only when every step passed).

    ``data_dir``: an existing data folder to open, migrate and check in place (optional).
    ``gui``: None opens the window only when a display is available; False never; True always.
    ``keep``: leave the temp folder (its path is printed) for a look at the report."""
    t = SelfTest(out)
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    t.say(f"Assessor {__version__} self-test (python {platform.python_version()}, {frozen}, "
          f"{sys.platform})")
    tmp = Path(tempfile.mkdtemp(prefix="assessor-selftest-"))
    try:
        if data_dir is not None:
            check_existing(t, Path(data_dir).expanduser().resolve())
        round_trip(t, tmp)
        want_gui = display_available() if gui is None else gui
        if not want_gui:
            t.skip("desktop window", "no display (set QT_QPA_PLATFORM=offscreen to include it)"
                   if gui is None else "--no-gui")
        elif t.ok:
            open_window(t, tmp)
    finally:
        if keep:
            t.say(f"  files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    total = time.perf_counter() - t.started
    failed = [name for name, ok, _ in t.results if not ok]
    if t.ok:
        t.say(f"self-test passed: {len(t.results)} steps in {total:.1f} s")
        return 0
    t.say(f"self-test FAILED ({', '.join(failed)}) after {total:.1f} s")
    return 1


__all__ = ["StepFailed", "display_available", "run"]
