"""The key map: which key does what, per item type, in the current language. The same table is
shown in the app (Ctrl+K, or "Keys" in the checklist) and printed in the user guides."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from .i18n import _, keys


def key_rows() -> list[tuple[str, str]]:
    """``(what, keys)`` rows for the current language."""
    k = keys()
    return [
        (_("Yes / No / N.A. items"), _("{yes} or 1 = yes · T or N or 2 = no · {na} or 3 = N.A.")
         .format(yes=k["yes"], na=k["na"])),
        (_("Scale items (0-3)"), _("0 1 2 3 = that point · {na} = N.A.").format(na=k["na"])),
        (_("Choice items"), _("1 … 9 = the n-th choice · {na} = N.A.").format(na=k["na"])),
        (_("Text, number, date, location"), _("Enter = type in it · Esc = save and leave · "
                                              "Ctrl+Enter = save, next unanswered")),
        (_("Every item"), _("{note} = note · {photo} = add photo · O = open its first photo "
                            "(caption, remove) · F = finding and corrective action · F1 = guidance"
                            " · Ctrl+V = paste a photo").format(note=k["note"], photo=k["photo"])),
        (_("Moving"), _("Up / Down = item · PageUp / PageDown = section · Ctrl+Enter = next "
                        "unanswered · Ctrl+G = go to section · Ctrl+F = find")),
        (_("Sections pane"), _("arrows = move · Enter or Space = open the section")),
        (_("Samples"), _("Ctrl+Shift+A add · F2 rename · Ctrl+Shift+Left/Right move · "
                         "Ctrl+Shift+X not interviewed · Ctrl+Shift+Delete remove")),
        (_("Changes"), _("Ctrl+Z = undo the last change")),
    ]


def key_map_html() -> str:
    rows = "".join(f"<tr><td style='padding:3px 12px 3px 0'><b>{what}</b></td>"
                   f"<td style='padding:3px 0'>{how}</td></tr>" for what, how in key_rows())
    return f"<table>{rows}</table>"


class KeyMapDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Keys"))
        v = QVBoxLayout(self)
        self.label = QLabel(key_map_html())
        self.label.setWordWrap(True)
        v.addWidget(self.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        self.resize(720, self.sizeHint().height())
