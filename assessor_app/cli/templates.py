"""``assessor templates list|show|validate|import|export``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..fileio import atomic_write
from ..i18n import _, language
from ..templates.loader import canonical_json, load_template
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
    x = tsub.add_parser("export", parents=[common], help="write an installed template as JSON")
    x.add_argument("id")
    x.add_argument("--version", dest="template_version")
    x.add_argument("--out", help="file to write (default: standard output)")
    x.set_defaults(func=cmd_export)


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


def cmd_validate(args) -> int:
    t = load_template(args.file)
    print(_("{name}: valid ({template} {version}, {items} items, {sections} sections, hash "
            "{hash})").format(name=Path(args.file).name, template=t.id, version=t.version,
                              items=len(t.items), sections=len(list(t.walk_sections())),
                              hash=t.hash[:12]))
    return 0


def cmd_import(args) -> int:
    with open_store(args) as store:
        t = store.import_template(args.file)
    print(_("installed {template} {version} ({items} items)").format(
        template=t.id, version=t.version, items=len(t.items)))
    return 0


def cmd_export(args) -> int:
    with open_store(args) as store:
        t = store.get_template(args.id, args.template_version)
    text = json.dumps(t.body, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        atomic_write(Path(args.out), text.encode("utf-8"))
        print(_("wrote {path} ({template} {version}, hash {hash})").format(
            path=args.out, template=t.id, version=t.version, hash=t.hash[:12]))
    else:
        sys.stdout.write(text)
    return 0


__all__ = ["register", "canonical_json"]
