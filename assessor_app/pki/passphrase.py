"""Where a passphrase comes from on the command line: a file, an environment variable, a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from ..i18n import _
from .errors import PkiError


def read_passphrase(
    args_file: str | os.PathLike | None,
    env_var: str = "ASSESSOR_PASSPHRASE",
    prompt: str = "CA passphrase: ",
    *,
    confirm: bool = False,
    file_option: str = "--passphrase-file",
) -> bytes:
    """The passphrase as UTF-8 bytes, from the first of:

    1. ``args_file``: the file's first line, without its line ending;
    2. the environment variable ``env_var``;
    3. a hidden prompt, when standard input is a terminal (``confirm`` asks twice).

    Otherwise raises :class:`PkiError` naming the three ways. An empty passphrase is refused.
    ``file_option`` is the command-line option named in messages.
    """
    if args_file:
        path = Path(args_file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PkiError(_("passphrase file {path} not found").format(path=path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PkiError(_("cannot read passphrase file {path}: {error}").format(
                path=path, error=exc)) from None
        lines = text.splitlines()
        value = lines[0] if lines else ""
        if not value:
            raise PkiError(_("passphrase file {path} is empty; put the passphrase on its first "
                             "line").format(path=path))
        return value.encode("utf-8")

    value = os.environ.get(env_var)
    if value:
        return value.encode("utf-8")

    if sys.stdin is not None and sys.stdin.isatty():
        try:
            value = getpass.getpass(prompt)
            if confirm and getpass.getpass(_("Repeat: ")) != value:
                raise PkiError(_("the two passphrases differ; nothing was changed"))
        except (EOFError, KeyboardInterrupt):
            raise PkiError(_("no passphrase entered; nothing was changed")) from None
        if not value:
            raise PkiError(_("the passphrase is empty; nothing was changed"))
        return value.encode("utf-8")

    raise PkiError(
        _("a passphrase is needed ({what}): give it in a file with {option} FILE, or in the "
          "environment variable {variable}, or run the command in a terminal to be asked for "
          "it").format(what=prompt.strip().rstrip(":"), option=file_option, variable=env_var)
    )
