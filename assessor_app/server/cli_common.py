"""Helpers every ``assessor-server`` command module shares: the configuration, the database
and the table-or-JSON output. Below ``cli`` and the command modules it loads."""

from __future__ import annotations

import json
import sys

from . import db
from .config import ServerConfig


def config(args) -> ServerConfig:
    return ServerConfig.load(getattr(args, "data", None))


def database(args) -> db.Database:
    return db.Database(config(args).database_url)


def out(args, rows: list[dict], columns: list[str]) -> None:
    """``rows`` as JSON with ``--json``, else as a table of ``columns``."""
    if getattr(args, "json", False):
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return
    from ..cli.common import table
    print(table([[r.get(c) for c in columns] for r in rows], columns))
