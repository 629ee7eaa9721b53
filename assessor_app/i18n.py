"""The one translation function, shared by the CLI, the desktop app and the PDF report.

Messages are written in English in the code (``_("Saved")``) and translated from gettext
catalogues in ``resources/locale/<lang>/LC_MESSAGES/assessor.po``. Babel reads the ``.po``
files directly, so no compile step is needed at install time. Bahasa Indonesia (``id``) is the
default language; ``ASSESSOR_LANG`` or :func:`set_language` choose another.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from .paths import resource

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"
_current = {"lang": os.environ.get("ASSESSOR_LANG", DEFAULT_LANGUAGE)}


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current["lang"] = lang


def language() -> str:
    return _current["lang"] if _current["lang"] in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr for ``lang`` (empty for English, the source language).

    Every ``*.po`` file in ``resources/locale/<lang>/LC_MESSAGES`` is read and merged, so each
    part of the program (core, desktop, report, sync) keeps its own catalogue file."""
    folder = resource("locale", lang, "LC_MESSAGES")
    if lang == "en" or not folder.is_dir():
        return {}
    paths = sorted(folder.glob("*.po"))
    cached = _cache_path(lang, paths)
    if cached is not None:
        try:
            return json.loads(cached.read_text("utf-8"))
        except (OSError, ValueError):
            pass
    from babel.messages.pofile import read_po
    merged: dict[str, str] = {}
    for path in paths:
        with path.open("rb") as fh:
            cat = read_po(fh, locale=lang)
        merged.update({m.id: m.string for m in cat
                       if m.id and m.string and not m.fuzzy and isinstance(m.id, str)})
    if cached is not None:
        _write_cache(cached, merged)
    return merged


def _cache_path(lang: str, paths: list) -> Path | None:
    """Where the merged catalogue of these exact .po files is kept between runs: reading the
    catalogues with Babel costs about 0.1 s, which every command would otherwise pay at start.
    The name carries each file's name, size and modification time, so an edited catalogue is
    read again. ``ASSESSOR_CACHE_DIR`` overrides the user cache folder; empty turns it off."""
    base = os.environ.get("ASSESSOR_CACHE_DIR")
    if base == "":
        return None
    try:
        if base is None:
            import platformdirs
            base = platformdirs.user_cache_dir("assessor", appauthor=False)
        stamp = repr([(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in paths])
    except OSError:
        return None
    key = hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:20]
    return Path(base) / f"catalogue-{lang}-{key}.json"


def _write_cache(path: Path, merged: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(merged, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass        # a read-only home: read the catalogues each time, as before


def translate(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (default: the current language)."""
    return catalogue(lang or language()).get(message, message)


_ = translate


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues without translating it now: for English text kept
    in data (JSON, results) and translated only when shown, with ``translate(text)``."""
    return message


class Text(str):
    """English text (what ``str()`` and JSON give) that remembers its template and values, so
    :meth:`translated` can show it in any language later. ``Text(N_("{n} left"), n=3)``."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template, self.params = template, params
        return self

    def translated(self, lang: str | None = None) -> str:
        values = {k: v.translated(lang) if isinstance(v, Text) else v
                  for k, v in self.params.items()}
        text = translate(self.template, lang)
        return text.format(**values) if values else text

    def __deepcopy__(self, memo):
        return self   # immutable, like str (dataclasses.asdict deep-copies)

    def __reduce__(self):
        return _text, (self.template, self.params)


def _text(template: str, params: dict) -> Text:
    return Text(template, **params)


def shown(text, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the current language) if it is a :class:`Text`, else as
    it is (a message already translated when it was made)."""
    return text.translated(lang) if isinstance(text, Text) else str(text)


def zone_label(zone: str | None, lang: str | None = None) -> str:
    """The zone's colour as a word in ``lang``: ``green`` / ``hijau``."""
    words = {"green": "green", "yellow": "yellow", "red": "red"}
    return translate(words[zone], lang) if zone in words else ""


def band_short(band, lang: str | None = None) -> str:
    """A band's short name: its letter (``A``) or, for zone bands named by a word (``hijau``),
    the zone in ``lang`` (``Green``)."""
    if len(band.id) <= 3:
        return band.id
    return zone_label(band.zone, lang).capitalize() or band.id


def band_text(band, lang: str | None = None) -> str:
    """A grade band as words beside its colour, as the app and the report show it:
    ``A · Highest quality`` or ``Green · High compliance``."""
    return f"{band_short(band, lang)} · {band.label.get(lang or language())}"


def format_number(value, lang: str | None = None, places: int = 2) -> str:
    """A score as people read it: ``87.50`` in English, ``87,50`` in Bahasa Indonesia (rounded
    half-up to ``places``); ``–`` for no value. The app, the CLI and the report all use it."""
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction
    if value is None:
        return "–"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = str(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
    return text.replace(".", ",") if (lang or language()) == "id" else text


def status_label(status: str, lang: str | None = None) -> str:
    """An assessment status as a word: ``Draft`` / ``Draf``."""
    words = {"draft": "Draft", "completed": "Completed", "submitted": "Submitted",
             "returned": "Returned", "approved": "Approved"}
    return translate(words[status], lang) if status in words else status


def local_decimal(text: str, lang: str | None = None) -> str:
    """A number already written with a decimal point (``"12.5"``, ``"0.25"``) as the reader
    writes it: ``12,5`` in Bahasa Indonesia. For sizes, limits and figures in messages."""
    return str(text).replace(".", ",") if (lang or language()) == "id" else str(text)
