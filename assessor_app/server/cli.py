"""``assessor-server``: set up, run and administer the sync server.

Every command takes ``--data DIR`` (or ASSESSOR_SERVER_DATA). Errors print one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import UserError
from ..sync import wire
from . import db
from .cli_common import config as _config, out as _out
from .config import ENV_DATA, ServerConfig, default_url, secure_folder

ENV_PROXIES = "ASSESSOR_TRUSTED_PROXIES"


def _common(default=argparse.SUPPRESS) -> argparse.ArgumentParser:
    """``--data DIR`` before or after the command. Only the top-level parser has a default
    (``$ASSESSOR_SERVER_DATA``): a sub-command's own default would overwrite the value given
    before the command (``assessor-server --data DIR list``)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--data", metavar="DIR", default=default,
                   help="server data folder (default: $ASSESSOR_SERVER_DATA)")
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="assessor-server",
                                     parents=[_common(os.environ.get(ENV_DATA))],
                                     description="The Assessor sync server for an office.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", parents=[common], help="create (or migrate) the data folder and database")
    p.add_argument("--database-url", help="PostgreSQL: postgresql+psycopg://user:pw@host/db "
                                          "(default: SQLite in the data folder)")
    p.add_argument("--pki-dir", help="organisation CA folder: enrolment then signs device CSRs "
                                     "(passphrase in $ASSESSOR_SERVER_CA_PASSPHRASE)")
    p.set_defaults(func=_init)

    p = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--workers", type=int, default=1, help="worker processes (use PostgreSQL for >1)")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--trusted-proxy", action="append", metavar="IP",
                   default=[x for x in os.environ.get(ENV_PROXIES, "").split(",") if x.strip()],
                   help="a reverse proxy whose X-Forwarded-For is believed (repeat for several; "
                        "default $ASSESSOR_TRUSTED_PROXIES, comma-separated; none: the client "
                        "address is always the TCP peer)")
    p.set_defaults(func=_serve)

    user = sub.add_parser("user", help="users and roles").add_subparsers(dest="sub", required=True)
    p = user.add_parser("add", parents=[common], help="add a user")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=wire.ROLES)
    p.add_argument("--team", default="", help="team name (a supervisor sees the team's work)")
    p.set_defaults(func=lambda a: print(_admin(a).add_user(a.name, a.role, a.team)))
    p = user.add_parser("list", parents=[common])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=lambda a: _out(a, _admin(a).list_users(), ["id", "name", "role", "team", "active"]))
    p = user.add_parser("deactivate", parents=[common],
                        help="refuse every device of this user and any unused code")
    p.add_argument("name")
    p.set_defaults(func=lambda a: _admin(a).set_active(a.name, False) or print("deactivated"))
    p = user.add_parser("activate", parents=[common], help="undo deactivate")
    p.add_argument("name")
    p.set_defaults(func=lambda a: _admin(a).set_active(a.name, True) or print("activated"))
    p = user.add_parser("set", parents=[common], help="change a user's role or team")
    p.add_argument("name")
    p.add_argument("--role", choices=wire.ROLES)
    p.add_argument("--team")
    p.set_defaults(func=lambda a: print(json.dumps(_admin(a).change_user(a.name, a.role, a.team),
                                                   ensure_ascii=False)))

    p = sub.add_parser("code", parents=[common], help="issue a one-time enrolment code for a user")
    p.add_argument("user")
    p.add_argument("--hours", type=float, default=72, help="valid for (default 72 hours)")
    p.set_defaults(func=_code)

    p = sub.add_parser("code-withdraw", parents=[common], help="withdraw an unused enrolment code")
    p.add_argument("code", nargs="?", help="the code as issued")
    p.add_argument("--user", help="withdraw every unused code of this user instead")
    p.set_defaults(func=lambda a: print(f"withdrawn: {_admin(a).withdraw_codes(a.code, a.user)}"))

    dev = sub.add_parser("device", help="enrolled devices").add_subparsers(dest="sub", required=True)
    p = dev.add_parser("list", parents=[common])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=lambda a: _out(a, _admin(a).list_devices(),
                                       ["id", "name", "user", "role", "last_seen", "revoked_at"]))
    p = dev.add_parser("revoke", parents=[common], help="revoke one device (its id or a unique "
                                                         "start of it)")
    p.add_argument("device_id")
    p.set_defaults(func=lambda a: print(f"revoked {_admin(a).revoke_device(a.device_id)}"))

    tpl = sub.add_parser("template", help="template versions").add_subparsers(dest="sub", required=True)
    p = tpl.add_parser("publish", parents=[common], help="publish a template version to every device")
    p.add_argument("file", type=Path)
    p.set_defaults(func=lambda a: print(json.dumps(_admin(a).publish_template(a.file))))

    p = sub.add_parser("assign", parents=[common], help="assign a unit to an inspector")
    p.add_argument("--unit", help="the unit's name (taken from the register with --unit-id)")
    p.add_argument("--unit-id", help="a unit of the register (assessor-server register list)")
    p.add_argument("--round", dest="round_id", help="the round the assessment belongs to")
    p.add_argument("--agency", default="")
    p.add_argument("--address", default="")
    p.add_argument("--template", required=True)
    p.add_argument("--version")
    p.add_argument("--inspector", required=True)
    p.add_argument("--due", default="", help="due date, YYYY-MM-DD")
    p.set_defaults(func=_assign)

    p = sub.add_parser("list", parents=[common], help="assessments the server holds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_list)

    p = sub.add_parser("review", parents=[common], help="approve or return a submitted assessment")
    p.add_argument("uuid")
    p.add_argument("decision", choices=["approve", "return"])
    p.add_argument("--comment", default="")
    p.add_argument("--as", dest="as_user", required=True, help="the supervisor's user name")
    p.set_defaults(func=lambda a: print(json.dumps(_admin(a).review(a.uuid, a.decision, a.comment,
                                                                     a.as_user))))

    p = sub.add_parser("import-bundle", parents=[common], help="import a sync bundle file")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_import_bundle)

    p = sub.add_parser("crl", parents=[common], help="publish the CA's revocation list to devices")
    p.add_argument("file", type=Path, help="CRL in DER (assessor pki crl --out FILE)")
    p.set_defaults(func=lambda a: _admin(a).publish_crl(a.file.read_bytes()) or print("published"))

    p = sub.add_parser("gc", parents=[common], help="remove unfinished uploads and files that no "
                                                   "revision references")
    p.add_argument("--grace-hours", type=float, default=24.0,
                   help="keep anything younger than this (default 24)")
    p.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    p.set_defaults(func=_gc)

    p = sub.add_parser("new-epoch", parents=[common],
                       help="after restoring a backup: make every device resync fully")
    p.set_defaults(func=lambda a: print(_admin(a).new_epoch()))

    from .cli_results import add_commands
    add_commands(sub, common)
    from .cli_actions import add_commands as add_action_commands
    add_action_commands(sub, common)
    from .cli_office import add_commands as add_office_commands
    add_office_commands(sub, common)
    return parser




def _admin(args):
    from .admin import Admin
    cfg = _config(args)
    return Admin(db.Database(cfg.database_url), cfg.data_dir)


def _init(args) -> int:
    folder = Path(getattr(args, "data", None) or "assessor-server-data").resolve()
    config_path = folder / "config.json"
    if config_path.exists():
        cfg = ServerConfig.load(folder)
        if args.database_url:
            cfg.database_url = args.database_url
    else:
        cfg = ServerConfig(folder, args.database_url or default_url(folder))
    if args.pki_dir:
        cfg.pki_dir = Path(args.pki_dir).resolve()
    cfg.save()
    (folder / "blobs").mkdir(exist_ok=True)
    (folder / "uploads").mkdir(exist_ok=True)
    db.upgrade(cfg.database_url)
    secure_folder(folder, everything=True)
    print(f"server data folder ready: {folder}")
    return 0


def _serve(args) -> int:
    import uvicorn
    cfg = _config(args)
    proxies = [p.strip() for p in args.trusted_proxy if p.strip()]
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: only from named proxies here
    net = dict(host=args.host, port=args.port, log_level=args.log_level,
               proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or None,
               server_header=False)
    secure_folder(cfg.data_dir)
    if args.workers > 1:
        os.environ[ENV_DATA] = str(cfg.data_dir)
        uvicorn.run("assessor_app.server.app:app_from_env", factory=True, workers=args.workers,
                    **net)
    else:
        from .app import create_app
        uvicorn.run(create_app(cfg), **net)
    return 0


def _code(args) -> int:
    code = _admin(args).issue_code(args.user, args.hours)
    print(code)
    return 0


def _assign(args) -> int:
    unit = {"unit": args.unit or "", "agency": args.agency, "address": args.address}
    if args.unit_id or args.round_id:
        from .register import assignment_unit
        unit = assignment_unit(db.Database(_config(args).database_url), unit, args.unit_id,
                               args.round_id)
    print(_admin(args).assign(unit=unit, template_id=args.template, template_version=args.version,
                              inspector=args.inspector, due_date=args.due))
    return 0


def _list(args) -> int:
    rows = _admin(args).list_assessments()
    for r in rows:
        r["flags"] = r["flags"] if args.json else ",".join(r["flags"])
    _out(args, rows, ["uuid", "owner", "unit", "rev", "status", "flags", "evidence_count",
                      "comments", "signed_pdf", "countersigned_pdf", "updated_at"])
    return 0


def _gc(args) -> int:
    from .gc import collect
    admin = _admin(args)
    print(json.dumps(collect(admin.db, admin.blobs, args.grace_hours, args.dry_run)))
    return 0


def _import_bundle(args) -> int:
    from .bundle_import import import_bundle
    admin = _admin(args)
    report = import_bundle(admin.store, admin.blobs, args.file)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for item in report["items"]:
            print(f"{item['uuid']}  rev {item.get('server_rev', '-')}  {item['result']}"
                  + (f": {item['message']}" if item.get("message") else ""))
    return 0 if all(i["result"] in ("stored", "already stored") for i in report["items"]) else 2


def main(argv: list[str] | None = None) -> int:
    from ..i18n import set_language
    set_language("en")       # the server and its administration speak English (see docs/server.md)
    os.umask(0o077)          # the data folder, database and files: this account only
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"assessor-server: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
