"""``assessor sync``, ``assessor enroll URL CODE``, ``assessor bundle export --out FILE``.

Registered by the main CLI (``register(subparsers)``); handlers get ``args.data_dir``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..cli.common import open_store
from ..i18n import _, format_number


def register(subparsers) -> None:
    p = subparsers.add_parser("sync", help=_("send finished work to the office server and fetch "
                                             "templates, assignments and reviews"))
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--status", action="store_true", help="only show what is waiting")
    p.add_argument("--drafts", choices=["on", "off"],
                   help="also send drafts as a backup (remembered)")
    p.add_argument("--max-time", type=float, default=60.0,
                   help="give up a request after retrying this many seconds (default 60)")
    p.set_defaults(func=_sync)

    p = subparsers.add_parser("enroll", help=_("connect this laptop to the office server"))
    p.add_argument("url", help="server address, e.g. https://sync.example.org")
    p.add_argument("code", help="the one-time code from the administrator")
    p.add_argument("--name", help="a name for this laptop (default: its host name)")
    p.set_defaults(func=_enroll)

    b = subparsers.add_parser("bundle", help=_("sync by file when there is no network"))
    sub = b.add_subparsers(dest="bundle_command", metavar="COMMAND", required=True)
    p = sub.add_parser("export", help="write everything waiting to be sent to a bundle file")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.set_defaults(func=_bundle_export)


def _enroll(args) -> int:
    from .client import enroll
    with open_store(args) as store:
        answer = enroll(store, args.url, args.code, device_name=args.name)
    print(_("Enrolled as {user} ({role}); this laptop can now sync.").format(**answer))
    if answer.get("sync_reset"):
        print(_("This laptop was enrolled with another server before: at the next sync "
                "everything is sent to this server again."))
    return 0


def _sync(args) -> int:
    from .client import SyncClient
    with open_store(args) as store:
        if args.drafts:
            store.set_setting("sync.push_drafts", args.drafts == "on")
        if args.status:
            summary = store.sync_summary()
            if args.json:
                print(json.dumps(summary, indent=1))
            else:
                print(status_line(summary))
            return 0
        with SyncClient(store, max_time=args.max_time, on_progress=_printer(args)) as client:
            report = client.sync()
    if args.json:
        print(json.dumps(report.as_dict(), indent=1, default=str))
        return 0
    sys.stderr.write("\n") if sys.stderr.isatty() else None
    print(_("Sent {n} assessment(s), {files} file(s), {mb} MB in {s} s.").format(
        n=len(report.pushed), files=report.files, mb=format_number(report.bytes / 1e6, places=1),
        s=format_number(report.seconds, places=1)))
    if report.pulled:
        print(_("Received: {what}.").format(what=", ".join(f"{v} {k}" for k, v in report.pulled.items())))
    for m in report.merged:
        print(_("{uuid}: merged with changes from another device ({flags}); the supervisor will "
                "see it flagged.").format(uuid=m["uuid"][:8], flags=", ".join(m["flags"])))
    for m in report.locked + report.refused:
        print(f"{m['uuid'][:8]}: {m['message']}")
    if report.reviews_sent or report.downloaded:
        print(_("Review: {sent} comment(s) and decision(s) sent, {files} file(s) of the team's "
                "work received.").format(sent=len(report.reviews_sent), files=report.downloaded))
    for m in report.reviews_refused:
        print(f"{m['uuid'][:8]}: {m['message']}")
    return 2 if report.refused or report.reviews_refused else 0


def _printer(args):
    if args.json or not sys.stderr.isatty():
        return None

    def show(p):
        template = (_("pull: {done}/{total} {mb_done:.1f}/{mb_total:.1f} MB")
                    if p.phase == "pull" else
                    _("push: {done}/{total} {mb_done:.1f}/{mb_total:.1f} MB")
                    if p.phase == "push" else
                    _("done: {done}/{total} {mb_done:.1f}/{mb_total:.1f} MB"))
        sys.stderr.write("\r" + template.format(done=p.items_done, total=p.items_total,
                                                mb_done=p.bytes_done / 1e6,
                                                mb_total=p.bytes_total / 1e6) + "   ")
        sys.stderr.flush()
    return show


def status_line(summary: dict) -> str:
    """The one-line sync state also shown in the app's top bar."""
    if not summary["enrolled"]:
        return _("not connected to a server")
    if summary["last_error"]:
        return _("failed: {reason}").format(reason=summary["last_error"])
    if summary["waiting"]:
        return _("{n} waiting").format(n=summary["waiting"])
    if summary["last_ok"]:
        return _("up to date")
    return _("never synced")


def _bundle_export(args) -> int:
    from .bundle import export_bundle
    with open_store(args) as store:
        manifest = export_bundle(store, args.out)
    print(_("Wrote {n} assessment(s) to {file}; import it on the server with "
            "'assessor-server import-bundle FILE'.").format(n=len(manifest["items"]), file=args.out))
    return 0
