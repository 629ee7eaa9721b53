"""Files in and out: atomic writes, and reading a file given by a person with the checks every
entry point needs (a regular file, not a folder, FIFO or device; size limited while reading)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import unicodedata
from pathlib import Path

from .errors import UserError
from .i18n import _


class InputRefused(UserError):
    """A path given as input is not a readable regular file, or is too large."""


class OutputRefused(UserError, OSError):
    """A file could not be written (a folder in the way, a read-only or full disk). Also an
    OSError, so callers that tolerate a failed write (caches) keep doing so."""


def read_input(path: str | Path, limit: int, *, label: str | None = None, error=InputRefused) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` bytes (else ``error``).

    Folders, FIFOs and devices (``/dev/zero``) are refused before anything is read, so a FIFO
    never blocks and a device never fills memory; the size is checked as the bytes arrive, not
    only from ``stat``. ``error`` is the UserError subclass raised, with one clear line."""
    path = Path(path)
    label = label or path.name or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise error(_("{name}: is a folder, not a file").format(name=label)) from None
    except OSError as exc:
        raise error(_("{name}: cannot be read: {error}").format(
            name=label, error=exc.strerror or exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(_("{name}: is a folder, not a file").format(name=label))
        if not stat.S_ISREG(info.st_mode):
            raise error(_("{name}: is not a regular file (a pipe or a device); give a file")
                        .format(name=label))
        if info.st_size > limit:
            raise error(too_large(label, limit))
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise error(too_large(label, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise error(_("{name}: cannot be read: {error}").format(
            name=label, error=exc.strerror or exc)) from None
    finally:
        os.close(fd)


def too_large(label: str, limit: int) -> str:
    return _("{name}: the file is larger than the {limit} MB allowed").format(
        name=label, limit=f"{limit / 1048576:g}")


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    Raises OutputRefused (one clear line, nothing left behind) when ``path`` is a folder or the
    disk is full or read-only."""
    path = Path(path)
    if path.is_dir():
        raise OutputRefused(_("{path}: is a folder; give a file name to write").format(path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputRefused(write_failure(path, exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputRefused(write_failure(path, exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_failure(path, exc: OSError) -> str:
    """One line saying why ``path`` could not be written."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _("{path}: the disk is full; free some space and try again").format(path=path)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _("{path}: cannot write here (read-only disk or no permission)").format(path=path)
    return _("{path}: cannot be written: {error}").format(path=path, error=exc.strerror or exc)


def printable(text, keep: str = "") -> str:
    """``text`` with control characters (terminal escapes, bidi overrides, NUL) shown as
    ``\\u001b``-style escapes, so a name from an imported file cannot rewrite the terminal."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch in keep:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            code = ord(ch)
            if code >= 0x10000:   # as a JSON-style surrogate pair, valid inside JSON strings
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
