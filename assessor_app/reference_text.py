"""Text that comes from the template stays the template's until a person edits it, so it can be
shown in any language: the prefilled finding and corrective action of a failing item, and the
default names of samples ("Petugas 3" / "Officer 3").

A finding stores the text that was shown when it was made. While that text is still one of the
template's translations (nobody edited it), it is a *reference* to the template and is rendered
in the reader's language (:func:`finding_text`); once edited, it is the inspector's own words and
stays as written.
"""

from __future__ import annotations

import re

LANGS = ("id", "en")


def _translations(text) -> dict[str, str]:
    if text is None:
        return {}
    return {lang: text.get(lang) for lang in LANGS if text.get(lang)}


def reference_text(stored: str | None, template_text, lang: str) -> str:
    """``stored`` in ``lang`` when it is still the template's text in some language, else as
    stored. ``template_text`` is the template's I18nText (or None)."""
    stored = stored or ""
    choices = _translations(template_text)
    if stored.strip() and stored.strip() in {t.strip() for t in choices.values()}:
        return choices.get(lang) or stored
    return stored


def finding_text(item, finding: dict, lang: str) -> tuple[str, str]:
    """The finding's text and corrective action for a reader in ``lang``: template text (not
    edited) in that language, edited text as written. ``item`` may be None (a general finding)."""
    if item is None:
        return finding.get("text") or "", finding.get("action") or ""
    return (reference_text(finding.get("text"), item.finding, lang),
            reference_text(finding.get("action"), item.action, lang))


def is_template_text(stored: str | None, template_text) -> bool:
    """True while ``stored`` is one of the template's translations (nobody edited it)."""
    return bool((stored or "").strip()) and (stored or "").strip() in {
        t.strip() for t in _translations(template_text).values()}


def default_sample_label(spec, label: str, lang: str) -> str:
    """A sample's name for a reader in ``lang``: a default name ("Petugas 3", "Officer 3", in any
    language of the template) becomes that language's ("Officer 3"); a given name stays."""
    if spec is None:
        return label
    for word in _translations(spec.label).values():
        m = re.fullmatch(re.escape(word.strip()) + r"\s+(\d+)", (label or "").strip())
        if m:
            return f"{spec.label.get(lang)} {m.group(1)}"
    return label


__all__ = ["default_sample_label", "finding_text", "is_template_text", "reference_text"]
