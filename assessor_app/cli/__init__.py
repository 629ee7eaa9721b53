"""The ``assessor`` command: every headless operation, and the launcher of the desktop app.

``assessor`` with no arguments opens the desktop app; ``assessor --help`` lists the commands.
Every command accepts ``--data-dir DIR`` (or ASSESSOR_DATA_DIR). Errors print one clear message
and exit with status 2; nothing half-written remains (each write is one transaction).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from .. import __version__
from ..errors import UserError
from ..i18n import _, set_language
from ..paths import data_dir

#: command modules with ``register(subparsers, common)``, always present
BUILTIN_COMMANDS = ("assessor_app.cli.templates", "assessor_app.cli.assessments",
                    "assessor_app.cli.actions")
#: command modules with ``register(subparsers)``; each adds its commands when importable
OPTIONAL_COMMANDS = ("assessor_app.pki.cli", "assessor_app.reports.cli", "assessor_app.sync.cli")
#: the module of each command, so that a command imports only its own module: reports, signing
#: (pyHanko, aiohttp) and sync stay unloaded for ``assessor --version`` or ``assessments list``.
#: A command missing here still works (an unknown word makes the parser load every module);
#: tests/test_cli_startup.py checks that the table lists every command.
COMMAND_MODULES = {
    "templates": "assessor_app.cli.templates",
    "assessments": "assessor_app.cli.assessments", "demo": "assessor_app.cli.assessments",
    "history": "assessor_app.cli.assessments", "score": "assessor_app.cli.assessments",
    "pki": "assessor_app.pki.cli",
    "report": "assessor_app.reports.cli", "sign": "assessor_app.reports.cli",
    "tsa": "assessor_app.reports.cli", "verify": "assessor_app.reports.cli",
    "bundle": "assessor_app.sync.cli", "enroll": "assessor_app.sync.cli",
    "sync": "assessor_app.sync.cli",
    "actions": "assessor_app.cli.actions", "followup": "assessor_app.cli.actions",
    "gui": None,
}
_TOP_OPTIONS_WITH_VALUE = ("--data-dir", "--lang")
_ALL = object()


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def command_word(argv: list[str]) -> str | None:
    """The command named on the command line (``assessments`` in ``--lang en assessments list``),
    "-h" when help for the whole program is asked, None when there is no command."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("-h", "--help"):
            return "-h"
        if arg in _TOP_OPTIONS_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every command (``argv`` None), or with only the command ``argv`` names
    (its module alone is imported; every module when the word is unknown or help is asked)."""
    modules = _ALL
    if argv is not None:
        word = command_word(argv)
        if word is None:
            modules = ()
        elif word in COMMAND_MODULES:
            modules = (COMMAND_MODULES[word],) if COMMAND_MODULES[word] else ()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="data folder (default: ASSESSOR_DATA_DIR or the user data folder)")
    parser = argparse.ArgumentParser(
        prog="assessor", parents=[common],
        description="Assessor: field compliance assessments, offline first.")
    parser.add_argument("--version", action="version", version=f"assessor {__version__}")
    parser.add_argument("--lang", choices=["id", "en"], default=None,
                        help="language of messages and reports (default: settings, else id)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation headlessly (demo, report, sign, verify) and "
                             "exit 0 if it works; with --data-dir, also open and check that folder")
    parser.add_argument("--no-gui", action="store_true",
                        help="with --self-test: do not open the desktop window even with a display")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in BUILTIN_COMMANDS:
        if modules is _ALL or name in modules:
            importlib.import_module(name).register(sub, common)
    for name in OPTIONAL_COMMANDS:
        if modules is not _ALL and name not in modules:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        before = set(sub.choices)
        module.register(sub)
        for added in set(sub.choices) - before:
            _add_common(sub.choices[added])
    gui = sub.add_parser("gui", parents=[common], help="open the desktop app (the default)")
    gui.set_defaults(func=_run_gui)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    """Let every nested sub-command accept --data-dir too."""
    stack = [parser]
    while stack:
        p = stack.pop()
        if not any("--data-dir" in a.option_strings for a in p._actions):
            p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="data folder")
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())


def _run_gui(args) -> int:
    try:  # by name, at run time: the core itself never depends on the Qt package
        gui_main = importlib.import_module("ui.app").main
    except ImportError as exc:
        raise UserError(_("the desktop app is not available in this installation ({error}); use "
                          "the commands listed by 'assessor --help'").format(error=exc)) from None
    return gui_main(data_dir=args.data_dir)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        if args.self_test:   # before data_dir(): the self-test never creates the user's data folder
            from ..selftest import run as self_test
            return self_test(getattr(args, "data_dir", None), gui=False if args.no_gui else None)
        args.data_dir = data_dir(getattr(args, "data_dir", None))
        func = getattr(args, "func", None)
        if func is None:
            args.func = _run_gui
            func = _run_gui
        return int(func(args) or 0)
    except UserError as exc:
        print(f"assessor: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("assessor: " + _("interrupted; every change made before this was saved"),
              file=sys.stderr)
        return 130


def print_json(data) -> None:
    _print_json(data)


def resolve_path(value: str) -> Path:
    return Path(value).expanduser()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
