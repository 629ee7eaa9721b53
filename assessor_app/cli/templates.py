"""``assessor templates list|show|validate|import|export|diff`` and ``assessor library``.

``validate``, ``import`` read YAML/JSON templates and XLSForm workbooks (.xlsx); rows of an
XLSForm that cannot map are listed on standard error and the rest imports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..fileio import atomic_write
from ..i18n import _, language
from ..errors import UserError
from ..templates.loader import canonical_json, load_template
from ..templates.xlsform_read import load_any
from .common import open_store, print_json, table


def register(sub, common) -> None:
    p = sub.add_parser("templates", parents=[common], help="checklist templates")
    tsub = p.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    x = tsub.add_parser("list", parents=[common], help="installed templates")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_list)
    x = tsub.add_parser("show", parents=[common], help="the sections and items of a template")
    x.add_argument("id")
    x.add_argument("--version", dest="template_version")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_show)
    x = tsub.add_parser("validate", parents=[common], help="check a template file")
    x.add_argument("file")
    x.set_defaults(func=cmd_validate)
    x = tsub.add_parser("import", parents=[common], help="validate and install a template file")
    x.add_argument("file")
    x.set_defaults(func=cmd_import)
    x = tsub.add_parser("export", parents=[common],
                        help="write an installed template as JSON or XLSForm")
    x.add_argument("id")
    x.add_argument("--version", dest="template_version")
    x.add_argument("--format", choices=["json", "xlsform"], default="json")
    x.add_argument("--out", help="file to write (default: standard output; required for xlsform)")
    x.set_defaults(func=cmd_export)
    x = tsub.add_parser("diff", parents=[common],
                        help="what changed between two versions of a template")
    x.add_argument("id", help="template id, or a template file to compare with the second file")
    x.add_argument("old", help="old version (or file)")
    x.add_argument("new", nargs="?", help="new version (default: the latest installed)")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_diff)
    x = tsub.add_parser("publish", parents=[common],
                        help="send an installed template version to the office server")
    x.add_argument("id")
    x.add_argument("--version", dest="template_version")
    x.set_defaults(func=cmd_publish)
    lib = sub.add_parser("library", parents=[common],
                         help="the organisation's findings and corrective actions")
    lsub = lib.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    x = lsub.add_parser("list", parents=[common], help="every entry")
    x.add_argument("--search", default="")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_library_list)
    x = lsub.add_parser("add", parents=[common], help="add or replace an entry")
    x.add_argument("key")
    for name in ("finding-id", "finding-en", "action-id", "action-en"):
        x.add_argument(f"--{name}", required=True)
    x.set_defaults(func=cmd_library_add)
    x = lsub.add_parser("remove", parents=[common], help="remove an entry")
    x.add_argument("key")
    x.set_defaults(func=cmd_library_remove)


def cmd_list(args) -> int:
    with open_store(args) as store:
        rows = store.list_templates()
    if args.json:
        print_json(rows)
        return 0
    lang = language()
    print(table([[r["id"], r["version"], r["title_en"] if lang == "en" else r["title_id"],
                  r["assessments"], r["hash"][:12]] for r in rows],
                [_("ID"), _("VERSION"), _("TITLE"), _("ASSESSMENTS"), _("HASH")]))
    return 0


def cmd_show(args) -> int:
    with open_store(args) as store:
        t = store.get_template(args.id, args.template_version)
    if args.json:
        print_json({"id": t.id, "version": t.version, "hash": t.hash, "body": t.body})
        return 0
    lang = language()
    print(_("{title}  [{template} {version}]  {items} items  hash {hash}").format(
        title=t.title.get(lang), template=t.id, version=t.version, items=len(t.items),
        hash=t.hash[:12]))
    print(_("bands: {bands}").format(bands=", ".join(
        f"{b.id} {b.label.get(lang)} {b.min}-{b.max} ({b.zone})" for b in t.bands)))
    for sec in t.walk_sections():
        depth = sec.number.count(".")
        extra = ("  " + _("weight {weight}").format(weight=f"{float(sec.weight):g}")
                 if sec.weight is not None else "")
        if sec.sample:
            extra += "  " + _("[per {label}: {min}-{max}, default {default}]").format(
                label=sec.sample.label.get(lang), min=sec.sample.min, max=sec.sample.max,
                default=sec.sample.default)
        print(f"{'  ' * depth}{sec.number} {sec.title.get(lang)}{extra}")
        for item in sec.items:
            req = "*" if item.required else " "
            print(f"{'  ' * (depth + 1)}{item.number}{req} {item.text.get(lang)}  ({item.type}, {item.id})")
    return 0


def _print_skipped(skipped) -> None:
    for where, message in skipped:
        print(_("{where}: skipped: {message}").format(where=where, message=message),
              file=sys.stderr)


def cmd_validate(args) -> int:
    t, skipped = load_any(args.file)
    _print_skipped(skipped)
    print(_("{name}: valid ({template} {version}, {items} items, {sections} sections, hash "
            "{hash})").format(name=Path(args.file).name, template=t.id, version=t.version,
                              items=len(t.items), sections=len(list(t.walk_sections())),
                              hash=t.hash[:12]))
    return 0


def cmd_import(args) -> int:
    t, skipped = load_any(args.file)
    _print_skipped(skipped)
    with open_store(args) as store:
        t = store.import_template(t, origin="xlsform" if skipped is not None and
                                  str(args.file).lower().endswith((".xlsx", ".xlsm")) else "file")
    print(_("installed {template} {version} ({items} items, hash {hash})").format(
        template=t.id, version=t.version, items=len(t.items), hash=t.hash[:12]))
    if skipped:
        print(_("{count} rows could not be imported (listed above)").format(count=len(skipped)),
              file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    with open_store(args) as store:
        t = store.get_template(args.id, args.template_version)
    if args.format == "xlsform":
        if not args.out:
            raise UserError(_("--format xlsform writes a workbook: give the file with --out "
                              "FORM.xlsx"))
        from ..templates.xlsform import export_xlsform
        atomic_write(Path(args.out), export_xlsform(t))
        print(_("wrote {path} ({template} {version}, hash {hash})").format(
            path=args.out, template=t.id, version=t.version, hash=t.hash[:12]))
        return 0
    text = json.dumps(t.body, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        atomic_write(Path(args.out), text.encode("utf-8"))
        print(_("wrote {path} ({template} {version}, hash {hash})").format(
            path=args.out, template=t.id, version=t.version, hash=t.hash[:12]))
    else:
        sys.stdout.write(text)
    return 0


def cmd_diff(args) -> int:
    from ..templates.diff import diff_templates, format_diff
    if Path(args.id).is_file() and Path(args.old).is_file():
        old, new = load_any(args.id)[0], load_any(args.old)[0]
    else:
        with open_store(args) as store:
            old = store.get_template(args.id, args.old)
            new = store.get_template(args.id, args.new)
    diff = diff_templates(old, new)
    if args.json:
        print_json({"old": list(diff.old), "new": list(diff.new), "changes": [
            {"kind": c.kind, "what": c.what, "key": c.key, "field": c.field, "old": c.old,
             "new": c.new} for c in diff.changes]})
        return 0
    print(format_diff(diff, language()))
    return 0


def cmd_publish(args) -> int:
    from ..sync.publish import publish_template
    with open_store(args) as store:
        t = store.get_template(args.id, args.template_version)
        result = publish_template(store, t)
    message = (_("published {template} {version} (hash {hash}); devices receive it on their next "
                 "sync") if result.get("new") else
               _("{template} {version} was already published (hash {hash})"))
    print(message.format(template=t.id, version=t.version, hash=t.hash[:12]))
    return 0


def cmd_library_list(args) -> int:
    with open_store(args) as store:
        rows = store.library_entries(args.search)
    if args.json:
        print_json(rows)
        return 0
    lang = language()
    print(table([[r["key"], r[f"finding_{lang}"], r[f"action_{lang}"]] for r in rows],
                [_("KEY"), _("FINDING"), _("CORRECTIVE ACTION")]))
    return 0


def cmd_library_add(args) -> int:
    with open_store(args) as store:
        store.save_library_entry(args.key, finding_id=args.finding_id, finding_en=args.finding_en,
                                 action_id=args.action_id, action_en=args.action_en)
    print(_("saved library entry {key}").format(key=args.key))
    return 0


def cmd_library_remove(args) -> int:
    with open_store(args) as store:
        store.delete_library_entry(args.key)
    print(_("removed library entry {key}").format(key=args.key))
    return 0


__all__ = ["register", "canonical_json", "load_template"]
