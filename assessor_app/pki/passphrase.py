"""Where a passphrase comes from on the command line: a file, an environment variable, a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

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
            raise PkiError(f"passphrase file {path} not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PkiError(f"cannot read passphrase file {path}: {exc}") from None
        lines = text.splitlines()
        value = lines[0] if lines else ""
        if not value:
            raise PkiError(f"passphrase file {path} is empty; put the passphrase on its first line")
        return value.encode("utf-8")

    value = os.environ.get(env_var)
    if value:
        return value.encode("utf-8")

    if sys.stdin is not None and sys.stdin.isatty():
        try:
            value = getpass.getpass(prompt)
            if confirm and getpass.getpass("Repeat: ") != value:
                raise PkiError("the two passphrases differ; nothing was changed")
        except (EOFError, KeyboardInterrupt):
            raise PkiError("no passphrase entered; nothing was changed") from None
        if not value:
            raise PkiError("the passphrase is empty; nothing was changed")
        return value.encode("utf-8")

    raise PkiError(
        f"a passphrase is needed ({prompt.strip().rstrip(':')}): give it in a file with "
        f"{file_option} FILE, or in the environment variable {env_var}, "
        "or run the command in a terminal to be asked for it"
    )
