"""Alt+letter for buttons in any language: each button gets the first letter of its (translated)
label not yet taken by another button of the same window, so the catalogues need no "&"."""

from __future__ import annotations


def assign_mnemonics(buttons, taken: str = "") -> None:
    """Put ``&`` before a free letter of each button's text (buttons already marked keep theirs)."""
    used = {c.lower() for c in taken}
    for b in buttons:
        text = b.text()
        if "&" in text.replace("&&", ""):
            i = text.replace("&&", "\0\0").index("&")
            if i + 1 < len(text):
                used.add(text[i + 1].lower())
    for b in buttons:
        text = b.text()
        if "&" in text.replace("&&", ""):
            continue
        for i, ch in enumerate(text):
            if ch.isalnum() and ch.lower() not in used:
                used.add(ch.lower())
                b.setText(text[:i] + "&" + text[i:])
                break


__all__ = ["assign_mnemonics"]
