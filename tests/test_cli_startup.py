"""Start-up of the ``assessor`` command: each command imports only what it needs (issue 12,
"Speed"); the figures themselves are in bench/bench_cli.py."""

import argparse
import importlib
import json
import subprocess
import sys

from assessor_app.cli import BUILTIN_COMMANDS, COMMAND_MODULES, OPTIONAL_COMMANDS, build_parser, command_word

HEAVY = ("pyhanko", "reportlab", "aiohttp", "pikepdf", "httpx", "PIL", "PySide6", "cryptography")


def test_the_command_table_names_the_module_of_every_command():
    sub = argparse.ArgumentParser().add_subparsers()
    common = argparse.ArgumentParser(add_help=False)
    found = {}
    for name in BUILTIN_COMMANDS + OPTIONAL_COMMANDS:
        before = set(sub.choices)
        module = importlib.import_module(name)
        module.register(sub, common) if name in BUILTIN_COMMANDS else module.register(sub)
        found.update({word: name for word in set(sub.choices) - before})
    listed = {word: module for word, module in COMMAND_MODULES.items() if module}
    assert found == listed          # a new command: add it to COMMAND_MODULES (cli/__init__.py)


def test_the_command_word_skips_options_and_their_values():
    assert command_word(["--data-dir", "x", "--lang", "en", "assessments", "list"]) == "assessments"
    assert command_word(["--version"]) is None
    assert command_word(["--lang", "id", "-h"]) == "-h"
    assert command_word(["--data-dir=x", "report", "--help"]) == "report"
    assert set(build_parser(["--version"])._subparsers._group_actions[0].choices) == {"gui"}
    assert set(build_parser(["score", "x"])._subparsers._group_actions[0].choices) >= {"score"}
    assert "report" in build_parser(["--help"])._subparsers._group_actions[0].choices


def _modules_after(args: list[str], tmp_path) -> set[str]:
    code = ("import sys, json\nfrom assessor_app.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "sys.stdout.flush()\nprint('MODULES ' + json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code, "--data-dir", str(tmp_path), *args],
                         capture_output=True, text=True, timeout=120,
                         env={"ASSESSOR_CACHE_DIR": "", "PATH": "/usr/bin:/bin"})
    line = [x for x in out.stdout.splitlines() if x.startswith("MODULES ")]
    assert line, out.stderr
    return set(json.loads(line[-1][8:]))


def test_version_and_listing_load_no_report_signing_sync_or_gui_code(tmp_path):
    loaded = _modules_after(["--version"], tmp_path)
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY + ("sqlite_utils", "babel", "yaml"))
    loaded = _modules_after(["assessments", "list"], tmp_path)
    assert "assessor_app.store" in loaded
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)
    assert not any(m.startswith(("assessor_app.reports", "assessor_app.sync")) for m in loaded)
