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
from ..fileio import printable
from ..i18n import _, set_language
from ..paths import data_dir

#: command modules with ``register(subparsers, common)``, always present
BUILTIN_COMMANDS = ("assessor_app.cli.templates", "assessor_app.cli.assessments",
                    "assessor_app.cli.security", "assessor_app.cli.actions")
#: command modules with ``register(subparsers)``; each adds its commands when importable
OPTIONAL_COMMANDS = ("assessor_app.pki.cli", "assessor_app.reports.cli", "assessor_app.sync.cli",
                     "assessor_app.cli.review")
#: the module of each command, so that a command imports only its own module: reports, signing
#: (pyHanko, aiohttp) and sync stay unloaded for ``assessor --version`` or ``assessments list``.
#: A command missing here still works (an unknown word makes the parser load every module);
#: tests/test_cli_startup.py checks that the table lists every command.
COMMAND_MODULES = {
    "templates": "assessor_app.cli.templates", "library": "assessor_app.cli.templates",
    "assessments": "assessor_app.cli.assessments", "demo": "assessor_app.cli.assessments",
    "history": "assessor_app.cli.assessments", "score": "assessor_app.cli.assessments",
    "pki": "assessor_app.pki.cli",
    "report": "assessor_app.reports.cli", "sign": "assessor_app.reports.cli",
    "tsa": "assessor_app.reports.cli", "verify": "assessor_app.reports.cli",
    "bundle": "assessor_app.sync.cli", "enroll": "assessor_app.sync.cli",
    "sync": "assessor_app.sync.cli",
    "review": "assessor_app.cli.review",
    "encrypt": "assessor_app.cli.security", "passphrase": "assessor_app.cli.security",
    "backup": "assessor_app.cli.security", "restore": "assessor_app.cli.security",
    "actions": "assessor_app.cli.actions", "followup": "assessor_app.cli.actions",
    "gui": None,
}
_TOP_OPTIONS_WITH_VALUE = ("--data-dir", "--lang", "--passphrase-file")
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
    # before or after the command (``assessor --lang en report ...`` = ``assessor report ... --lang en``)
    common.add_argument("--lang", choices=["id", "en"], default=argparse.SUPPRESS,
                        help="language of messages and reports (default: settings, else id)")
    common.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                        help="passphrase of an encrypted data folder (else ASSESSOR_PASSPHRASE)")
    parser = argparse.ArgumentParser(
        prog="assessor", parents=[common],
        description="Assessor: field compliance assessments, offline first.")
    parser.add_argument("--version", action="version", version=f"assessor {__version__}")
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
    """Let every nested sub-command accept --data-dir and --lang too (before or after it)."""
    stack = [parser]
    while stack:
        p = stack.pop()
        if not any("--data-dir" in a.option_strings for a in p._actions):
            p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="data folder")
        if not any("--lang" in a.option_strings for a in p._actions):
            p.add_argument("--lang", choices=["id", "en"], default=argparse.SUPPRESS,
                           help="language of messages (and reports)")
        if not any("--passphrase-file" in a.option_strings for a in p._actions):
            p.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                           help="passphrase of an encrypted data folder")
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


def parser_in_one_language(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """:func:`build_parser` with every help text in English, like argparse's own words ("usage",
    "options"), so ``assessor --help`` never mixes languages; messages follow ``--lang``."""
    from ..i18n import language
    before = language()
    set_language("en")
    try:
        return build_parser(argv)
    finally:
        set_language(before)


def _unlock(args, *, gui: bool) -> None:
    """Unlock an encrypted data folder before the command runs: the passphrase from
    --passphrase-file or ASSESSOR_PASSPHRASE, else the system keyring; the desktop app asks
    with a dialog instead when neither is given. A plain folder costs one stat (no import)."""
    if getattr(args, "no_unlock", False) or not (Path(args.data_dir) / "key.json").is_file():
        return
    from .. import vault
    secret = vault.passphrase_from_env_or_file(getattr(args, "passphrase_file", None))
    if secret is None and gui:
        return
    vault.unlock(args.data_dir, secret)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = parser_in_one_language(argv)
    args = parser.parse_args(argv)
    _safe_output()
    # --lang before or after the command; a report's own --lang sets the messages' language too
    lang = getattr(args, "report_lang", None) or getattr(args, "lang", None)
    if lang:
        set_language(lang)
    try:
        if args.self_test:   # before data_dir(): the self-test never creates the user's data folder
            from ..selftest import run as self_test
            return self_test(getattr(args, "data_dir", None), gui=False if args.no_gui else None)
        args.data_dir = data_dir(getattr(args, "data_dir", None))
        func = getattr(args, "func", None)
        if func is None:
            args.func = _run_gui
            func = _run_gui
        _unlock(args, gui=func is _run_gui)
        return int(func(args) or 0)
    except UserError as exc:
        print("assessor: " + printable(exc), file=sys.stderr)
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


class _SafeStream:
    """Writes text with control characters escaped (see fileio.printable): names from imported
    files cannot move the cursor, clear the screen or reverse text in the terminal."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        return self._stream.write(printable(text, keep="\n\t\r"))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _safe_output() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _SafeStream):
            setattr(sys, name, _SafeStream(stream))


def resolve_path(value: str) -> Path:
    return Path(value).expanduser()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
