"""``assessor-server actions list|import|settings`` (issue 11): the corrective-action register."""

from __future__ import annotations

import json
from pathlib import Path

from . import actions_register
from .cli_common import database as _database, out as _out

LIST_COLUMNS = ["due_date", "state", "overdue", "unit", "government", "source", "reference",
                "text", "uuid"]




def _list(args) -> int:
    rows = actions_register.list_actions(_database(args), overdue=args.overdue, team=args.team,
                                         government=args.government, unit=args.unit,
                                         state=args.state, history=args.json)
    if not args.json:
        lang_rows = []
        for r in rows:
            lang_rows.append({**r, "text": (r["text"].get("id") or "")[:60],
                              "overdue": "!" if r["overdue"] else ""})
        rows = lang_rows
    _out(args, rows, LIST_COLUMNS)
    return 0


def add_commands(sub, common) -> None:
    act = sub.add_parser("actions", help="the corrective-action register").add_subparsers(
        dest="sub", required=True)
    p = act.add_parser("list", parents=[common], help="actions, overdue first")
    p.add_argument("--overdue", action="store_true", help="only open actions past their due date")
    p.add_argument("--team", help="only the actions of this provincial office")
    p.add_argument("--government")
    p.add_argument("--unit")
    p.add_argument("--state", choices=["open", "fully", "partly", "not", "na"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_list)
    p = act.add_parser("import", parents=[common],
                       help="add complaint-examination suggestions from CSV or XLSX (columns: "
                            + ", ".join(actions_register.COLUMNS) + ")")
    p.add_argument("file", type=Path)
    p.set_defaults(func=lambda a: print(json.dumps(actions_register.import_file(_database(a), a.file))))
    p = act.add_parser("add", parents=[common], help="enter one complaint-examination suggestion")
    p.add_argument("--reference", required=True, help="the report's reference number")
    p.add_argument("--government", required=True, help="register id of the government")
    p.add_argument("--unit", required=True, help="register id of the unit")
    p.add_argument("--suggestion", required=True)
    p.add_argument("--due", default="", help="YYYY-MM-DD")
    p.set_defaults(func=lambda a: print(json.dumps(actions_register.add_suggestions(
        _database(a), [{"reference": a.reference, "government_id": a.government,
                        "unit_id": a.unit, "suggestion": a.suggestion, "due_date": a.due}]))))
    p = act.add_parser("settings", parents=[common],
                       help="a round's compliance settings: weight of 'partly', complaint suggestions")
    p.add_argument("round")
    p.add_argument("--partly-weight", help="e.g. 0.5 (default) or 1/3")
    inc = p.add_mutually_exclusive_group()
    inc.add_argument("--include-complaints", dest="complaints", action="store_true", default=None)
    inc.add_argument("--exclude-complaints", dest="complaints", action="store_false")
    p.set_defaults(func=lambda a: print(json.dumps(actions_register.set_settings(
        _database(a), a.round, a.partly_weight, a.complaints))))
