"""``assessor review list|show|comment|return|approve``: the supervisor's desk on the command line.

Comments and decisions are kept on this laptop at once and sent by the next ``assessor sync``
(so they work offline); ``approve`` countersigns the inspector's signed report first.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from ..i18n import _, format_number, status_label
from .common import open_store, print_json, resolve_uuid, table


def register(subparsers) -> None:
    p = subparsers.add_parser("review", help="review the team's submitted work (supervisors)",
                              description="List, read, comment on, return or approve (with a "
                                          "countersignature) the team's work pulled by sync. "
                                          "Comments and decisions are sent by the next sync.")
    sub = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    x = sub.add_parser("list", help="the team's work held on this laptop")
    x.add_argument("--status", choices=["submitted", "returned", "approved"])
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_list)
    x = sub.add_parser("show", help="one assessment with its comments, decisions and reports")
    x.add_argument("id", metavar="ID")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_show)
    x = sub.add_parser("comment", help="comment on an item (and sample) or on the whole work")
    x.add_argument("id", metavar="ID")
    x.add_argument("text", metavar="TEXT")
    x.add_argument("--item", metavar="ITEM", help="item id the comment is about")
    x.add_argument("--sample", type=int, metavar="N", help="sample number (1, 2, ...) of --item")
    x.set_defaults(func=cmd_comment)
    x = sub.add_parser("return", help="return submitted work to its inspector, with a comment")
    x.add_argument("id", metavar="ID")
    x.add_argument("--comment", required=True, metavar="TEXT", help="what to fix (required)")
    x.set_defaults(func=cmd_return)
    x = sub.add_parser("approve", help="countersign the inspector's signed report and approve")
    x.add_argument("id", metavar="ID")
    x.add_argument("--p12", required=True, type=Path, metavar="FILE",
                   help="your (supervisor's) .p12 certificate file")
    x.add_argument("--passphrase-file", metavar="FILE",
                   help="file whose first line is the .p12 passphrase (else $ASSESSOR_PASSPHRASE, "
                        "else a prompt)")
    x.add_argument("--comment", default="", metavar="TEXT", help="an optional closing comment")
    x.add_argument("--crl", type=Path, metavar="FILE", help="the CA's revocation list (default: "
                                                           "the one sync brought)")
    x.add_argument("--tsa", metavar="URL", help="timestamp server (default: setting tsa_url)")
    x.set_defaults(func=cmd_approve)


def _sample_label(store, uuid: str, item: str | None, sample: int | None) -> str:
    if item is None:
        return _("general")
    a = store.get(uuid)
    spec = store.template_of(a).items.get(item)
    labels = a.samples.get(spec.sample_group, []) if spec is not None and spec.sample_group else []
    number = spec.number if spec is not None else item
    if labels and sample is not None and sample < len(labels):
        return f"{number}, {labels[sample]}"
    return str(number)


def cmd_list(args) -> int:
    with open_store(args) as store:
        rows = store.review_queue(args.status)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("No team work on this laptop. Supervisors get the team's submitted work with "
                "'assessor sync'."))
        return 0
    print(table([[r["uuid"][:8], r["owner"], r["unit"], r["template_id"],
                  (r["submitted_at"] or "")[:16].replace("T", " "), status_label(r["status"]),
                  format_number(r["score"]), r["grade"] or "-",
                  _("yes") if r["signed"] else _("no"),
                  _("queued: {decision}").format(decision=r["pending"]) if r["pending"] else "",
                  ",".join(r["flags"])] for r in rows],
                [_("ID"), _("INSPECTOR"), _("UNIT"), _("TEMPLATE"), _("SUBMITTED"), _("STATUS"),
                 _("SCORE"), _("GRADE"), _("SIGNED"), _("DECISION"), _("FLAGS")]))
    return 0


def review_info(store, uid: str) -> dict:
    """What ``review show --json`` and ``assessments show --json`` print about review."""
    thread = store.review_thread(uid)
    return {"team_copy": store.team_copy(uid),
            "comments": [c for c in thread if c["kind"] == "comment"],
            "decisions": [c for c in thread if c["kind"] in ("approve", "return")],
            "signed_reports": store.signed_reports(uid),
            "approval": store.approval(uid)}


def print_thread(store, uid: str) -> None:
    info = review_info(store, uid)
    reports = info["signed_reports"]
    print(_("signed report: {signed}; countersigned: {counter}").format(
        signed=_("yes") if "signed" in reports else _("no"),
        counter=_("yes") if "countersigned" in reports else _("no")))
    thread = sorted(info["comments"] + info["decisions"], key=lambda c: c["at"] or "")
    if not thread:
        print(_("no review comments"))
    for c in thread:
        what = {"approve": _("APPROVED"), "return": _("RETURNED")}.get(c["kind"], "")
        state = {"queued": _(" (waiting for sync)"),
                 "refused": _(" (REFUSED: {reason})").format(reason=c.get("error"))}.get(
            c.get("state"), "")
        where = _sample_label(store, uid, c.get("item"), c.get("sample"))
        print(f"  {(c['at'] or '')[:16].replace('T', ' ')}  {c['author']}  [{where}]  "
              f"{what + ': ' if what else ''}{c['text']}{state}")


def cmd_show(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        if args.json:
            from ..exchange import export_document
            print_json({"document": export_document(store, uid), "review": review_info(store, uid)})
            return 0
        a = store.get(uid)
        team = store.team_copy(uid)
        result = store.score(uid)
        print(f"{a.unit.get('unit')} ({a.unit.get('agency')})")
        print(_("id {uuid}  status {status}  inspector {owner}  score {score}").format(
            uuid=uid, status=status_label(a.status), owner=(team or {}).get("owner") or
            ", ".join(map(str, a.inspectors)) or "-", score=format_number(result.total)))
        print_thread(store, uid)
    return 0


def cmd_comment(args) -> int:
    if args.sample is not None and args.sample < 1:
        raise UserError(_("--sample counts from 1"))
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        entry = store.queue_review(uid, "comment", args.text, item=args.item,
                                   sample=None if args.sample is None else args.sample - 1)
        where = _sample_label(store, uid, entry["item"], entry["sample"])
    print(_("Comment on {where} kept; it is sent with the next sync.").format(where=where)
          if entry["item"] else _("General comment kept; it is sent with the next sync."))
    return 0


def cmd_return(args) -> int:
    from ..review import return_work
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        return_work(store, uid, args.comment)
    print(_("Assessment {uuid} will be returned to its inspector at the next sync.").format(
        uuid=uid[:8]))
    return 0


def cmd_approve(args) -> int:
    from ..pki.passphrase import read_passphrase
    from ..reports.cli import PASS_ENV, find_crl
    from ..reports.signing import LocalP12Signer
    from ..review import check_decidable, countersign_and_approve
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        check_decidable(store, uid)     # before asking for a passphrase
        crl = find_crl(args.data_dir, args.crl, store)
        tsa = args.tsa or store.get_setting("tsa_url")
        passphrase = read_passphrase(args.passphrase_file, PASS_ENV,
                                     _("passphrase of the .p12 file: "),
                                     file_option="--passphrase-file")
        signer = LocalP12Signer.open(args.p12.expanduser(), passphrase)
        lang = getattr(args, "lang", None) or store.get_setting("language") or "id"
        countersign_and_approve(store, uid, signer, crl_der=crl, tsa_url=tsa,
                                comment=args.comment, lang=lang)
    print(_("Countersigned and approved {uuid}; the approval is sent with the next sync.").format(
        uuid=uid[:8]))
    return 0
