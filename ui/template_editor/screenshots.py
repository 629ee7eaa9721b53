"""Screenshots of the template editor in both languages, for the user guides.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.template_editor.screenshots [--out docs/screenshots]

Saves ``template-editor-<lang>.png`` (an item of the 2022 template with the preview answered),
``template-editor-band-<lang>.png`` (an invalid band shown at its field) and
``template-diff-<lang>.png`` (the differences after saving a new version).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _settle(qt) -> None:
    for _ in range(6):
        qt.processEvents()


def shoot(lang: str, out: Path) -> list[Path]:
    from ui.screenshots import started_app

    data = Path(tempfile.mkdtemp(prefix="assessor-editor-shots-")) / "data"
    app = started_app(data, lang, "Sari")
    saved = []
    page = app.window.templates
    page.reload()
    editor = page.open_editor("ori_penilaian_2022")
    editor.resize(1366, 768)
    editor.tree.setColumnWidth(0, 250)

    def save(widget, name):
        _settle(app.qt)
        path = out / f"{name}-{lang}.png"
        widget.grab().save(str(path))
        saved.append(path)

    body = editor.doc.body
    sec_path = ("sections", 0)
    while "items" not in editor.doc.get(sec_path):
        sec_path = (*sec_path, "sections", 0)
    items = editor.doc.get(sec_path)["items"]
    scored = [i for i, it in enumerate(items) if it["type"] == "scale"]
    item_path = (*sec_path, "items", scored[0] if scored else 0)
    editor.tree.rebuild(editor.doc, item_path)
    editor.panel.show_node(item_path)
    editor.flush()
    template = editor.doc.template
    for item in list(template.walk_items())[:40]:
        if item.type == "scale":
            editor.preview.answer(item.id, item.options[-1].value if hash(item.id) % 3 else item.options[1].value)
        elif item.type in ("yes_no", "yes_no_na"):
            editor.preview.answer(item.id, "yes" if hash(item.id) % 4 else "no")
    _settle(app.qt)
    save(editor, "template-editor")

    editor.tree.rebuild(editor.doc, ())
    editor.panel.show_node(())
    table = editor.panel.widgets["bands"]
    col = [k for k, _h, _t in table.columns].index("min")
    original_min = body["bands"][1]["min"]
    table.table.item(1, col).setText("70")
    editor.panel.verticalScrollBar().setValue(editor.panel.verticalScrollBar().maximum())
    save(editor, "template-editor-band")
    table.table.item(1, col).setText(str(original_min))

    item = editor.doc.get(item_path)
    item["weight"] = 3
    editor.doc.touch(item_path)
    editor.doc.body["bands"][-1]["label"] = {"id": "Sangat kurang", "en": "Very poor"}
    editor.doc.touch(())
    editor.doc.add_item(sec_path)
    editor.on_changed(True)
    if editor.save_new_version() is None:
        raise SystemExit(f"screenshots: saving failed: {app.dialogs.shown[-1:]}")
    dialog = editor.show_diff()
    versions = [r["version"] for r in app.store.template_versions("ori_penilaian_2022")]
    dialog.old.setCurrentIndex(dialog.old.findData(versions[0]))
    dialog.new.setCurrentIndex(dialog.new.findData(versions[-1]))
    save(dialog, "template-diff")
    dialog.close()
    editor.doc.dirty = False
    editor.close()
    app.window.close()
    app.store.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--lang", choices=["id", "en"], action="append")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang or ["id", "en"]:
        for path in shoot(lang, out):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
