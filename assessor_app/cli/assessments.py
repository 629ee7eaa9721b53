"""``assessor assessments ...``, ``assessor score``, ``assessor history``, ``assessor demo``."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError
from ..i18n import _, format_number, language, status_label, zone_label
from .common import open_store, print_json, resolve_uuid, table


def register(sub, common) -> None:
    p = sub.add_parser("assessments", parents=[common], help="assessments in the data folder")
    asub = p.add_subparsers(dest="assessments_command", metavar="ACTION", required=True)
    x = asub.add_parser("list", parents=[common], help="assessments with status and score")
    x.add_argument("--status")
    x.add_argument("--template")
    x.add_argument("--search")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_list)
    x = asub.add_parser("show", parents=[common], help="one assessment in full")
    x.add_argument("id")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_show)
    x = asub.add_parser("new", parents=[common], help="start an assessment")
    x.add_argument("--template", required=True)
    x.add_argument("--unit", required=True)
    x.add_argument("--agency", default="")
    x.add_argument("--address", default="")
    x.add_argument("--visit-date", action="append", default=[])
    x.add_argument("--inspector", action="append", default=[])
    x.add_argument("--samples", action="append", default=[], metavar="GROUP=LABEL1;LABEL2",
                   help="sampled subjects of a sample group, e.g. proses=KTP-el;Akta Kelahiran")
    x.set_defaults(func=cmd_new)
    x = asub.add_parser("answer", parents=[common], help="set one answer (JSON value or word)")
    x.add_argument("id")
    x.add_argument("item")
    x.add_argument("value", help="yes / no / na, a number, text, or JSON such as [\"a\",\"b\"]")
    x.add_argument("--sample", type=int, default=1, help="sample number, from 1 (default 1)")
    x.set_defaults(func=cmd_answer)
    x = asub.add_parser("complete", parents=[common], help="check and mark completed")
    x.add_argument("id")
    x.set_defaults(func=cmd_complete)
    x = asub.add_parser("reopen", parents=[common], help="reopen a completed assessment (amendment)")
    x.add_argument("id")
    x.add_argument("--reason", required=True)
    x.set_defaults(func=cmd_reopen)
    x = asub.add_parser("delete", parents=[common], help="delete a draft")
    x.add_argument("id")
    x.set_defaults(func=cmd_delete)
    x = asub.add_parser("export", parents=[common], help="write the exchange file (.json or .zip)")
    x.add_argument("id")
    x.add_argument("--out", required=True)
    x.set_defaults(func=cmd_export)
    x = asub.add_parser("import", parents=[common], help="import an exchange file")
    x.add_argument("file")
    x.add_argument("--allow-missing-evidence", action="store_true")
    x.set_defaults(func=cmd_import)

    x = sub.add_parser("score", parents=[common], help="score an exchange file against its template")
    x.add_argument("file")
    x.add_argument("--json", action="store_true")
    x.add_argument("--explain", action="store_true", help="say why: the contributions")
    x.set_defaults(func=cmd_score)

    h = sub.add_parser("history", parents=[common], help="the tamper-evident history")
    hsub = h.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    x = hsub.add_parser("verify", parents=[common], help="check the hash chain")
    x.add_argument("id")
    x.set_defaults(func=cmd_history_verify)
    x = hsub.add_parser("show", parents=[common], help="list the history entries")
    x.add_argument("id")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_history_show)

    x = sub.add_parser("demo", parents=[common], help="load realistic demo assessments")
    x.add_argument("--again", action="store_true", help="load the demo even if it is already here")
    x.set_defaults(func=cmd_demo)


def _zone_text(row) -> str:
    """``A/green`` in English, ``A/hijau`` in Indonesian; ``green`` alone for zone bands."""
    if row.get("grade") is None:
        return "-"
    zone = zone_label(row["zone"])
    return f"{row['grade']}/{zone}" if len(row["grade"]) <= 3 else zone


def cmd_list(args) -> int:
    with open_store(args) as store:
        rows = store.list_assessments(status=args.status, template_id=args.template,
                                      search=args.search)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("no assessments yet: create one with 'assessor assessments new' or load the demo "
                "with 'assessor demo'"))
        return 0
    print(table([[r["uuid"][:8], r["unit"], r["agency"], r["template_id"],
                  ", ".join(r["visit_dates"]), status_label(r["status"]),
                  format_number(r["score"]), _zone_text(r),
                  f"{r['answered']}/{r['total_items']}"] for r in rows],
                [_("ID"), _("UNIT"), _("AGENCY"), _("TEMPLATE"), _("VISIT"), _("STATUS"),
                 _("SCORE"), _("GRADE"), _("ANSWERED")]))
    return 0


def cmd_show(args) -> int:
    lang = language()
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        unverified = store.unverified(uid)
        if args.json:
            from ..exchange import export_document
            from .review import review_info
            doc = {**export_document(store, uid), "review": review_info(store, uid)}
            if unverified:
                doc["unverified"] = unverified
            print_json(doc)
            return 0
        a = store.get(uid)
        t = store.template_of(a)
        result = store.score(uid)
    print(f"{a.unit.get('unit')} ({a.unit.get('agency')})  {a.unit.get('address', '')}")
    print(_("id {uuid}  status {status}  template {template} {version}").format(
        uuid=a.uuid, status=a.status, template=t.id, version=t.version))
    if unverified:
        print(_("NOT VERIFIED: status {status} and signatures ({roles}) came from the file {source}, "
                "not from the server or a signed report").format(
            status=unverified["status"], roles=", ".join(unverified["signatures"]) or "-",
            source=unverified["source"]))
    print(_("visit {dates}  inspectors {inspectors}").format(
        dates=", ".join(a.visit_dates) or "-", inspectors=", ".join(map(str, a.inspectors)) or "-"))
    band = f"  {result.band.id} {result.band.label.get(lang)} ({result.band.zone})" if result.band else ""
    c = result.completeness
    print(_("score {score}{band}  answered {answered}/{total}  required missing {required}  "
            "evidence missing {evidence}").format(
        score=format_number(result.total), band=band, answered=c.answered,
        total=c.total, required=len(c.required_missing), evidence=len(c.evidence_missing)))
    for sec in t.walk_sections():
        s = result.sections[sec.id]
        per = ""
        if sec.sample:
            labels = a.samples.get(sec.id, [])
            per = "  [" + "; ".join(f"{lab}: {format_number(v)}"
                                    for lab, v in zip(labels, s.per_sample)) + "]"
        print(f"{'  ' * sec.number.count('.')}{sec.number} {sec.title.get(lang)}: "
              f"{format_number(s.score)}  ({s.answered}/{s.total}){per}")
    if a.findings:
        print(_("findings:"))
        for f in a.findings:
            print("  - " + _("{text} -> {action} ({responsible}, due {due})").format(
                text=f["text"], action=f["action"], responsible=f["responsible"] or "-",
                due=f["due_date"] or "-"))
    with open_store(args) as store:
        from .review import print_thread
        print(_("review:"))
        print_thread(store, uid)
    return 0


def cmd_new(args) -> int:
    samples = {}
    for spec in args.samples:
        if "=" not in spec:
            raise UserError(_("--samples takes GROUP=LABEL1;LABEL2, not {value}").format(
                value=repr(spec)))
        group, labels = spec.split("=", 1)
        samples[group.strip()] = [x.strip() for x in labels.split(";") if x.strip()]
    with open_store(args) as store:
        uid = store.create_assessment(
            args.template, unit={"unit": args.unit, "agency": args.agency, "address": args.address},
            visit_dates=args.visit_date, inspectors=args.inspector, samples=samples)
        store.refresh_variables(uid)      # a corrective-action variable, from the register
    print(uid)
    return 0


def parse_value(text: str):
    """Command-line answers: JSON when it parses (3, [..], {..}, null), else the plain word."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def cmd_answer(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        change = store.set_answer(uid, args.item, parse_value(args.value), sample=args.sample - 1)
    print(_("saved {target} at {at}").format(target=change.target, at=change.at))
    return 0


def cmd_complete(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        result = store.score(uid)
        c = result.completeness
        if not c.complete:
            t = result.template
            for item_id, sample in c.required_missing[:20]:
                item = t.items[item_id]
                if item.sample_group:
                    line = _("missing answer: {number} {text} (sample {sample})")
                else:
                    line = _("missing answer: {number} {text}")
                print("  " + line.format(number=item.number, text=item.text.get(language()),
                                         sample=sample + 1))
            for item_id, sample, need, have in c.evidence_missing[:20]:
                print("  " + _("missing photo: {number} needs {need}, has {have}").format(
                    number=t.items[item_id].number, need=need, have=have))
        store.complete(uid)
    print(_("completed {uuid}: score {score}").format(uuid=uid[:8], score=format_number(result.total)))
    return 0


def cmd_reopen(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        store.set_status(uid, "draft", reason=args.reason)
    print(_("reopened {uuid} as an amendment").format(uuid=uid[:8]))
    return 0


def cmd_delete(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        store.delete_draft(uid)
    print(_("deleted draft {uuid}").format(uuid=uid[:8]))
    return 0


def cmd_export(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        from ..exchange import write_exchange   # imported by the commands that need it
        doc = write_exchange(store, uid, args.out)
    print(_("wrote {path} ({answers} answers, {photos} photos)").format(
        path=args.out, answers=len(doc["answers"]), photos=len(doc["evidence"])))
    return 0


def cmd_import(args) -> int:
    from ..exchange import import_exchange
    with open_store(args) as store:
        uid, created = import_exchange(store, args.file,
                                       allow_missing_evidence=args.allow_missing_evidence)
    print((_("imported {uuid}") if created else _("{uuid} is already here with the same content"))
          .format(uuid=uid))
    return 0


def cmd_score(args) -> int:
    from ..exchange import read_exchange, rescore
    lang = language()
    with open_store(args) as store:
        ex = read_exchange(args.file, template_lookup=lambda i, v, h: _try(store, h))
    result = rescore(ex)
    claimed = ex.doc["score"].get("total")
    matches = claimed == (float(result.total) if result.total is not None else None)
    if args.json:
        print_json({**result.summary(), "matches_file": matches, "file_total": claimed})
    else:
        band = f" {result.band.id} {result.band.label.get(lang)} ({result.band.zone})" if result.band else ""
        print(f"{Path(args.file).name}: {format_number(result.total)}{band}")
        if not matches:
            print(_("WARNING: the file states {claimed}").format(claimed=claimed))
        if args.explain:
            print(result.explain(lang))
    return 0 if matches else 1


def _try(store, digest):
    try:
        return store.template_by_hash(digest)
    except UserError:
        return None


def cmd_history_verify(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        check = store.verify_history(uid)
    if check.ok:
        print(_("history of {uuid} verifies: {entries} entries, head {head}").format(
            uuid=uid[:8], entries=check.entries, head=check.head[:16]))
        return 0
    print(_("history of {uuid} is BROKEN: {problem}").format(uuid=uid[:8], problem=check.problem))
    return 1


def cmd_history_show(args) -> int:
    with open_store(args) as store:
        uid = resolve_uuid(store, args.id)
        rows = store.history(uid)
    if args.json:
        print_json(rows)
        return 0
    print(table([[r["seq"], r["at"], r["actor"], r["action"], r["target"],
                  _short(r["old"]), _short(r["new"])] for r in rows],
                ["#", _("AT"), _("WHO"), _("ACTION"), _("TARGET"), _("OLD"), _("NEW")]))
    return 0


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_demo(args) -> int:
    from ..demo import load_demo
    with open_store(args) as store:
        made = load_demo(store, again=args.again)
    if not made:
        print(_("the demo data is already in {path} (use --again to add it once more)").format(
            path=args.data_dir))
        return 0
    print(_("demo data loaded: {count} assessments in {path}").format(
        count=len(made), path=args.data_dir))
    print(_("see them with: assessor assessments list"))
    return 0
