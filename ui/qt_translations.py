"""Qt's own words (file pickers, OK / Cancel, Yes / No, a text field's context menu, calendar
buttons) in the app's language.

Qt ships no Bahasa Indonesia catalogue (there is no ``qtbase_id.qm``), so the app serves Qt's
strings itself: :class:`CatalogueTranslator` answers Qt from the same gettext catalogues as the
rest of the app, where ``resources/locale/id/LC_MESSAGES/qtbase.po`` holds Qt's strings (they
ship in the bundle with every other catalogue). English needs nothing. The locale is set too, so
dates, month names and decimal separators in Qt's widgets follow the language (``7,5``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from assessor_app.i18n import catalogue

LOCALES = {"id": QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia),
           "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}


class CatalogueTranslator(QTranslator):
    """A QTranslator reading the gettext catalogue of ``lang`` (msgid = Qt's source text)."""

    def __init__(self, lang: str, parent=None):
        super().__init__(parent)
        self.lang = lang
        self.strings = catalogue(lang)

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: N802 - Qt's
        if not source_text:
            return None
        return self.strings.get(source_text)     # None (a null string): Qt keeps its own

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return not self.strings


_installed: dict = {}


def install(lang: str) -> QTranslator | None:
    """Serve Qt's strings in ``lang`` (replacing the previous language's) and set the locale."""
    app = QCoreApplication.instance()
    old = _installed.pop("translator", None)
    if app is not None and old is not None:
        app.removeTranslator(old)
    QLocale.setDefault(LOCALES.get(lang, LOCALES["id"]))
    if app is None or lang == "en":
        return None
    translator = CatalogueTranslator(lang, app)
    app.installTranslator(translator)
    _installed["translator"] = translator
    return translator


__all__ = ["CatalogueTranslator", "install"]
