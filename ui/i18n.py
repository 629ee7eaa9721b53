"""Translation for the desktop app: the core's one mechanism (``assessor_app.i18n``).

Every string a person reads goes through :func:`_`; the Bahasa Indonesia catalogue of the app is
``resources/locale/id/LC_MESSAGES/ui.po`` (merged with the core's by ``assessor_app.i18n``).
Keyboard letters follow the language and are printed on the buttons.
"""

from __future__ import annotations

from assessor_app.i18n import (LANGUAGES, band_text, format_number, language, status_label, set_language, translate,
                               zone_label)

_ = translate

#: answer and action letters per language (digits always work: 1 yes, 2 no, 3 N.A.). A letter
#: means the same in both languages: "no" is T (Tidak) or N (No) in either, the note is C
#: (Catatan / Comment), so no note key collides with an answer key after switching language.
KEYS = {
    "id": {"yes": "Y", "no": "T", "na": "A", "note": "C", "photo": "P"},
    "en": {"yes": "Y", "no": "N", "na": "A", "note": "C", "photo": "P"},
}
#: letters accepted besides the printed one (the other language's letter for the same answer)
KEY_ALIASES = {"no": ("T", "N")}


def keys() -> dict[str, str]:
    """The letter keys of the current language, e.g. ``{"yes": "Y", "no": "T", ...}``."""
    return KEYS.get(language(), KEYS["id"])


def sync_label(state: str | None) -> str:
    return {"local": _("Not synced"), "synced": _("Synced"), "pending": _("Waiting to sync"),
            "conflict": _("Conflict"), "failed": _("Sync failed")}.get(state or "local", state or "")




__all__ = ["KEY_ALIASES", "band_text", "format_number", "_", "translate", "set_language", "language", "LANGUAGES", "keys", "status_label",
           "sync_label", "zone_label"]
