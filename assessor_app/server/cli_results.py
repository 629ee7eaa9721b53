"""``assessor-server`` commands for rounds, the register and results (issue 10).

``round add|state|list``, ``register import|list``, ``match``, ``results``, ``export-answers``,
``demo-round``, ``report-government`` and ``user password`` (office web login).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import UserError
from ..i18n import format_number, language, translate as _
from . import register
from .cli_common import database as _database, out as _out


def _set_state(database, round_id: str, state: str) -> dict:
    from .snapshot import set_state
    return set_state(database, round_id, state)




def add_commands(sub, common) -> None:
    rnd = sub.add_parser("round", help="assessment rounds").add_subparsers(dest="sub", required=True)
    p = rnd.add_parser("add", parents=[common], help="create a round (state: planning)")
    p.add_argument("id", help="short id, e.g. 2022")
    p.add_argument("--name", default="", help='e.g. "Penilaian 2022"')
    p.add_argument("--template", required=True)
    p.add_argument("--version")
    p.add_argument("--starts", default="")
    p.add_argument("--ends", default="")
    p.add_argument("--rule", default="mean", choices=["mean", "median"],
                   help="government score from its units' scores (default mean)")
    p.add_argument("--min-units", type=int, default=1,
                   help="fewest scored units for a government to get a score (default 1)")
    p.add_argument("--previous", help="the previous round's id (for the change column)")
    p.set_defaults(func=lambda a: print(json.dumps(register.add_round(
        _database(a), a.id, a.name, a.template, a.version, starts=a.starts, ends=a.ends,
        rule=a.rule, min_units=a.min_units, previous=a.previous))))
    p = rnd.add_parser("state", parents=[common], help="move a round: planning, field_work, "
                                                       "review, closed (closed is final)")
    p.add_argument("id")
    p.add_argument("state", choices=register.STATES)
    p.set_defaults(func=lambda a: print(json.dumps(_set_state(_database(a), a.id, a.state))))
    p = rnd.add_parser("list", parents=[common])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=lambda a: _out(a, register.list_rounds(_database(a)),
                                       ["id", "name", "template_id", "template_version", "state",
                                        "rule", "previous_id"]))

    reg = sub.add_parser("register", help="governments and units").add_subparsers(dest="sub", required=True)
    p = reg.add_parser("import", parents=[common], help="add/update from CSV or XLSX (columns: "
                                                        + ", ".join(register.COLUMNS) + ")")
    p.add_argument("file", type=Path)
    p.set_defaults(func=lambda a: print(json.dumps(register.import_register(_database(a), a.file))))
    p = reg.add_parser("list", parents=[common])
    p.add_argument("--team")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=lambda a: _out(a, register.list_governments(_database(a), a.team),
                                       ["id", "name", "category", "province", "team", "units"]))

    p = reg.add_parser("set-government", parents=[common],
                       help="change a government's name, category, province or team")
    p.add_argument("id")
    for f in ("name", "category", "province", "team"):
        p.add_argument(f"--{f}")
    p.set_defaults(func=lambda a: _edit(a, "government"))
    p = reg.add_parser("set-unit", parents=[common], help="add a unit, or rename or move one")
    p.add_argument("id", help="the unit's register id")
    p.add_argument("--government", help="the government it belongs to (needed for a new unit)")
    p.add_argument("--name")
    p.add_argument("--address")
    p.set_defaults(func=lambda a: _edit(a, "unit"))
    p = reg.add_parser("remove-unit", parents=[common],
                       help="remove a unit no assessment refers to")
    p.add_argument("id")
    p.set_defaults(func=lambda a: _edit(a, "remove"))

    p = sub.add_parser("match", parents=[common],
                       help="link an assessment to a register unit and a round")
    p.add_argument("uuid")
    p.add_argument("--unit", dest="unit_id")
    p.add_argument("--round", dest="round_id")
    p.set_defaults(func=lambda a: print(json.dumps(register.match_assessment(
        _database(a), a.uuid, a.unit_id, a.round_id))))

    p = sub.add_parser("results", parents=[common], help="a round's results per category")
    p.add_argument("round")
    p.add_argument("--category")
    p.add_argument("--team", help="only the governments of this provincial office")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON row per government")
    out.add_argument("--csv", type=Path, metavar="FILE")
    out.add_argument("--xlsx", type=Path, metavar="FILE")
    out.add_argument("--check", action="store_true",
                     help="a closed round: recompute from the database and compare with its "
                          "frozen snapshot (exit 0 = matches, 1 = differs)")
    p.set_defaults(func=_results)

    p = sub.add_parser("export-answers", parents=[common],
                       help="every answer of a round's approved assessments, long form")
    p.add_argument("round")
    p.add_argument("--out", type=Path, required=True, help="FILE.xlsx or FILE.csv")
    p.set_defaults(func=lambda a: _export(a, "answers"))

    p = sub.add_parser("export-findings", parents=[common],
                       help="the findings and corrective actions of a round's approved assessments")
    p.add_argument("round")
    p.add_argument("--out", type=Path, required=True, help="FILE.xlsx or FILE.csv")
    p.set_defaults(func=lambda a: _export(a, "findings"))

    p = sub.add_parser("demo-round", parents=[common], help="generate a synthetic national round")
    p.add_argument("name")
    p.add_argument("--governments", type=int, default=586)
    p.add_argument("--units-per-government", type=int, default=4)
    p.add_argument("--seed", type=int, default=2022)
    p.add_argument("--previous", help="id of a previous round (for the change column)")
    p.set_defaults(func=_demo_round)

    p = sub.add_parser("web-password", parents=[common],
                       help="set a user's password for the office web pages (/office)")
    p.add_argument("user")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=_web_password)

    p = sub.add_parser("report-government", parents=[common], help="a government's results (PDF)")
    p.add_argument("round")
    p.add_argument("government", help="government id or exact name")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--lang", choices=["id", "en"])
    p.add_argument("--p12", type=Path, metavar="FILE",
                   help="sign it (PAdES) with this certificate of the organisation's CA")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="the .p12 passphrase (else $ASSESSOR_P12_PASSPHRASE, else a prompt)")
    p.add_argument("--crl", type=Path, metavar="FILE",
                   help="the CA's revocation list (default: the one published to this server)")
    p.set_defaults(func=_report_government)


def _edit(args, what: str) -> int:
    from . import register_edit as edit
    database = _database(args)
    if what == "government":
        r = edit.set_government(database, args.id, name=args.name, category=args.category,
                                province=args.province, team=args.team)
        print(_("government {id} changed: {fields}").format(
            id=args.id, fields=", ".join(f"{k}={v!r}" for k, v in r.items() if k != "id")))
    elif what == "unit":
        r = edit.set_unit(database, args.id, government_id=args.government, name=args.name,
                          address=args.address)
        print((_("unit {id} added to {government}") if r["added"] else
               _("unit {id} changed (government {government})")).format(
            id=args.id, government=r["government_id"]))
    else:
        r = edit.remove_unit(database, args.id)
        print(_("unit {id} removed from {government}").format(id=args.id,
                                                              government=r["government_id"]))
    return 0




def _check_category(view, category):
    if category and category not in view.results.categories():
        raise UserError(f"round {view.round['id']} has no category {category!r}; it has "
                        f"{', '.join(view.results.categories()) or 'none'}")


def _results(args) -> int:
    from ..results_export import ranking_table, write_table
    from .results import round_results
    if args.check:
        return _check(args)
    view = round_results(_database(args), args.round, team=args.team)
    _check_category(view, args.category)
    if args.json:
        rows = [g.row() for g in view.results.by_category(args.category)]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    header, rows = ranking_table(view.results, args.category)
    if args.csv or args.xlsx:
        n = write_table(args.csv or args.xlsx, header, rows)
        print(_("{n} governments written to {path}").format(n=n, path=args.csv or args.xlsx))
        return 0
    from ..cli.common import table
    lang = language()
    shown = [[r[0], r[1] or "-", r[3], r[4], format_number(r[5], lang), r[6] or "-", r[7] or "-"]
             for r in rows]
    print(table(shown, [header[i] for i in (0, 1, 3, 4, 5, 6, 7)]))
    res = view.results
    print(_("{n} governments, {missing} units still without an approved assessment").format(
        n=len(res.governments), missing=res.units_missing))
    return 0


def _check(args) -> int:
    from .snapshot import check
    snap, problems = check(_database(args), args.round)
    if snap is None:
        raise UserError(_("round {round} has no frozen snapshot: only a closed round has one "
                          "(assessor-server round state {round} closed)").format(round=args.round))
    if not problems:
        print(_("round {round}: the results recomputed from the database match its snapshot of "
                "{at} ({n} governments, {m} assessments; snapshot SHA-256 {sha})").format(
            round=args.round, at=snap["taken_at"], n=len(snap["rows"]),
            m=len(snap["assessments"]), sha=snap["sha256"]))
        return 0
    print(_("round {round}: the results recomputed from the database differ from its snapshot "
            "of {at} ({n} differences):").format(round=args.round, at=snap["taken_at"],
                                                  n=len(problems)))
    for p in problems:
        print("  " + p)
    return 1


def _export(args, kind: str) -> int:
    """``export-answers`` (kind "answers") and ``export-findings`` (kind "findings")."""
    from ..results_export import write_table
    from . import results
    database = _database(args)
    register.round_row(database, args.round)
    columns, rows = ((results.ANSWER_COLUMNS, results.iter_answers) if kind == "answers"
                     else (results.FINDING_COLUMNS, results.iter_findings))
    n = write_table(args.out, columns, rows(database, args.round), sheet=kind)
    print((_("{n} answers written to {path}") if kind == "answers"
           else _("{n} findings written to {path}")).format(n=n, path=args.out))
    return 0


def _demo_round(args) -> int:
    from .demo_round import demo_round
    print(json.dumps(demo_round(_database(args), args.name, args.governments,
                                args.units_per_government, seed=args.seed, previous=args.previous)))
    return 0


def _report_government(args) -> int:
    from ..fileio import atomic_write
    from .government_report import build, server_crl
    database = _database(args)
    lang = args.lang or language()
    if args.crl is not None and not args.crl.is_file():
        raise UserError(_("{path} does not exist").format(path=args.crl))
    if args.p12 is None and (args.passphrase_file or args.crl):
        raise UserError(_("--passphrase-file and --crl are for signing: give --p12 FILE too"))
    pdf, _gid = build(database, args.round, args.government, lang)
    if args.p12 is not None:
        from ..pki.passphrase import read_passphrase
        from ..reports.government_sign import sign_government
        from ..reports.signing import LocalP12Signer
        passphrase = read_passphrase(args.passphrase_file, "ASSESSOR_P12_PASSPHRASE",
                                     _("passphrase of the .p12 file: "))
        signer = LocalP12Signer.open(args.p12.expanduser(), passphrase)
        crl = args.crl.read_bytes() if args.crl else server_crl(database)
        pdf = sign_government(pdf, signer, crl_der=crl, lang=lang)
    atomic_write(args.out, pdf)
    if args.p12 is not None:
        print(_("{path} written and signed ({size} bytes)").format(path=args.out, size=len(pdf)))
    else:
        print(_("{path} written ({size} bytes), not signed (sign it with --p12 FILE)").format(
            path=args.out, size=len(pdf)))
    return 0


def _web_password(args) -> int:
    from .web.session import set_password
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise UserError("the two passwords differ; nothing was changed")
    set_password(_database(args), args.user, password)
    print(_("password set for {user}").format(user=args.user))
    return 0
