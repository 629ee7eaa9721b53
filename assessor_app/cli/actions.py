"""``assessor actions list|refresh`` and ``assessor followup new|previous`` (issue 11): the
corrective-action register pulled from the server, follow-up visits and the compliance variable."""

from __future__ import annotations

from ..i18n import N_, _, format_number, language
from .common import open_store, print_json, resolve_uuid, table

STATE_WORDS = {"open": N_("open"), "fully": N_("carried out fully"), "partly": N_("carried out partly"),
               "not": N_("not carried out"), "na": N_("no longer applicable")}


def register(sub, common) -> None:
    p = sub.add_parser("actions", parents=[common], help="corrective actions (the register)")
    asub = p.add_subparsers(dest="actions_command", metavar="ACTION", required=True)
    x = asub.add_parser("list", parents=[common], help="actions, open and overdue first")
    x.add_argument("--unit", help="only this unit (register id or name)")
    x.add_argument("--overdue", action="store_true", help="only open actions past their due date")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_list)
    x = asub.add_parser("compliance", parents=[common],
                        help="a unit's corrective-action compliance (the variable)")
    x.add_argument("--unit", required=True)
    x.add_argument("--round", dest="round_id")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_compliance)
    x = asub.add_parser("refresh", parents=[common],
                        help="fill an assessment's corrective-action variable from the register")
    x.add_argument("id")
    x.set_defaults(func=cmd_refresh)

    p = sub.add_parser("followup", parents=[common], help="follow-up visits")
    fsub = p.add_subparsers(dest="followup_command", metavar="ACTION", required=True)
    x = fsub.add_parser("new", parents=[common],
                        help="a follow-up visit listing the unit's open actions")
    x.add_argument("--unit", required=True)
    x.add_argument("--round", dest="round_id")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_followup_new)
    x = fsub.add_parser("previous", parents=[common],
                        help="start from the previous visit of a unit (same template)")
    x.add_argument("--unit", required=True)
    x.add_argument("--template", required=True)
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_previous)


def cmd_list(args) -> int:
    with open_store(args) as store:
        rows = store.list_actions(unit=args.unit, overdue=args.overdue)
    if args.json:
        print_json(rows)
        return 0
    lang = language()
    if not rows:
        print(_("No corrective action (sync to pull the register)."))
        return 0
    print(table([[r["due_date"] or "-", ("! " if r["overdue"] else "") + _(STATE_WORDS[r["state"]]),
                  r["unit"], r["reference"] or r["item_id"], (r["text"].get(lang) or "")[:60],
                  r["uuid"][:8]] for r in rows],
                [_("DUE"), _("STATE"), _("UNIT"), _("SOURCE"), _("ACTION"), _("ID")]))
    return 0


def cmd_compliance(args) -> int:
    with open_store(args) as store:
        c = store.unit_compliance(args.unit, args.round_id)
    if args.json:
        print_json(c.to_dict())
        return 0
    value = _("N.A. (no applicable action)") if c.value is None else format_number(c.value, language())
    print(_("Corrective-action compliance of {unit}: {value}").format(unit=args.unit, value=value))
    print(_("{fully} fully + {weight} x {partly} partly of {applicable} applicable ({overdue} overdue "
            "count as not carried out; {na} no longer applicable)").format(
        fully=c.fully, weight=c.partly_weight, partly=c.partly, applicable=c.applicable,
        overdue=c.overdue, na=c.na))
    return 0


def cmd_refresh(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        n = store.refresh_variables(uid)
    print(_("{count} value(s) updated from the corrective-action register").format(count=n))
    return 0


def cmd_followup_new(args) -> int:
    with open_store(args) as store:
        uid, items = store.create_followup(args.unit, args.round_id)
    if args.json:
        print_json({"uuid": uid, "items": items})
    else:
        print(uid)
    return 0


def cmd_previous(args) -> int:
    with open_store(args) as store:
        uid, suggestions = store.start_from_previous(args.unit, args.template)
    if args.json:
        print_json({"uuid": uid, "suggestions": len(suggestions)})
    else:
        print(uid)
    return 0
