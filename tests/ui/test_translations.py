"""Every string of the desktop app exists in Bahasa Indonesia, in a valid catalogue."""

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from assessor_app.i18n import translate

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources" / "locale" / "id" / "LC_MESSAGES" / "ui.po"
#: modules of ui/ written by the report and sync work, with catalogues of their own
OTHERS = {"report_preview.py", "sign_dialog.py", "sync_panel.py"}


def ui_messages() -> dict[str, str]:
    found = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name in OTHERS:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "translate") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_catalogue_is_valid_and_complete_with_the_same_placeholders():
    with PO.open("rb") as fh:
        catalogue = read_po(fh, locale="id")
    entries = {m.id: m.string for m in catalogue if m.id}
    for other in sorted(PO.parent.glob("*.po")):     # areas with a catalogue of their own
        with other.open("rb") as fh:
            entries.update({m.id: m.string for m in read_po(fh, locale="id")
                            if m.id and m.id not in entries})
    messages = ui_messages()
    assert len(messages) > 100
    missing = [f"{where}: {msg!r}" for msg, where in messages.items() if not entries.get(msg)]
    assert missing == []
    for msg in messages:
        assert set(re.findall(r"{\w*}", msg)) == set(re.findall(r"{\w*}", entries[msg])), msg
        assert translate(msg, "id") == entries[msg]
