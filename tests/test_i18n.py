"""Every message a person reads has a Bahasa Indonesia translation, and the right language shows.

Messages are found the way a translator's tool finds them: Babel extracts every ``_("...")``,
``N_("...")`` (marked now, translated when shown) and ``translate("...")`` call (plus the
``_fail(position, "...")`` templates of the condition parser) from the source, and each msgid
must have a msgstr in the merged catalogue that ``assessor_app.i18n.catalogue("id")`` reads
from ``resources/locale/id/LC_MESSAGES/*.po``.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from assessor_app import i18n
from assessor_app.errors import (AnswerInvalid, AssessmentLocked, AssessmentNotFound,
                                 EvidenceRejected, TemplateInvalid)
from assessor_app.i18n import catalogue, language, set_language
from assessor_app.templates import conditions
from assessor_app.templates.loader import load_template
from helpers import filled_mini, mini_store

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "assessor_app"
LOCALE = ROOT / "resources" / "locale" / "id" / "LC_MESSAGES"
KEYWORDS = {"_": None, "translate": None, "N_": None}
#: parts with catalogues of their own, checked by test_later_parts_are_translated
LATER_PARTS = ("ui", "assessor_app/reports", "assessor_app/sync", "assessor_app/server")
#: the parts of LATER_PARTS not enforced yet: remove one to make its test a hard failure
NOT_YET_ENFORCED: set[str] = set()


def extract(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """msgid -> where it is used (``file:line``), for every Python file under ``folder``."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, *_rest in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        if not filename.startswith(skip) and isinstance(message, str):
            found.setdefault(message, []).append(f"{folder.name}/{filename}:{lineno}")
    return found


def condition_messages() -> dict[str, list[str]]:
    """The condition parser translates in ``_fail(position, template)`` and ``_(_HINTS[c])``.

    Extracted from that one file only: given ``_fail`` as a keyword everywhere, Babel loses the
    ``_()`` calls nested in the other modules' ``_fail(item, _(...))``."""
    path = CORE / "templates" / "conditions.py"
    found = {m: [f"assessor_app/templates/conditions.py:{line}"]
             for line, m, *_rest in extract_from_file("python", str(path), keywords={"_fail": (2,)})
             if isinstance(m, str)}
    found.update({hint: ["assessor_app/templates/conditions.py: _HINTS"]
                  for hint in conditions._HINTS.values()})
    return found


def untranslated(messages: dict[str, list[str]]) -> list[str]:
    known = catalogue("id")
    return [f"{msgid!r}  ({', '.join(where)})" for msgid, where in sorted(messages.items())
            if msgid not in known]


def test_every_core_message_has_an_indonesian_translation():
    messages = extract(CORE, skip=("reports/", "sync/", "server/"))
    messages.update(condition_messages())
    assert len(messages) > 250  # the extraction really found the messages
    missing = untranslated(messages)
    assert not missing, (f"{len(missing)} core messages have no translation in "
                         f"{LOCALE.relative_to(ROOT)}/*.po:\n" + "\n".join(missing))


@pytest.mark.parametrize("part", [
    pytest.param(part, marks=pytest.mark.xfail(
        strict=False, reason=f"{part} is not enforced yet (see NOT_YET_ENFORCED)"))
    if part in NOT_YET_ENFORCED else part
    for part in LATER_PARTS])
def test_later_parts_are_translated(part):
    folder = ROOT / part
    if not folder.is_dir():
        pytest.skip(f"{part} does not exist")
    missing = untranslated(extract(folder))
    assert not missing, f"{len(missing)} messages of {part} have no translation:\n" + "\n".join(missing)


def _fields(text: str) -> list[str]:
    """The replacement fields of a str.format template, e.g. ``['{count}', '{name!r:>5}']``."""
    out = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            out.append("{" + name + (f"!{conversion}" if conversion else "")
                       + (f":{spec}" if spec else "") + "}")
    return sorted(out)


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    problems = []
    files = sorted(LOCALE.glob("*.po"))
    assert any(f.name == "core.po" for f in files)
    for path in files:
        with path.open("rb") as fh:
            cat = read_po(fh, locale="id", abort_invalid=True)
        for message in cat:
            if not message.id or not message.string or not isinstance(message.id, str):
                continue
            try:
                ok = _fields(message.id) == _fields(message.string)
            except ValueError as exc:  # unbalanced braces
                ok, message.string = False, f"{message.string}  [{exc}]"
            if not ok:
                problems.append(f"{path.name}: {message.id!r} -> {message.string!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_no_function_hides_the_translation_function_behind_a_local_underscore():
    """``_, x = pair`` anywhere in a function makes ``_`` local there, and then ``_("...")`` in
    that function fails with UnboundLocalError instead of showing the message."""
    offenders = []
    for folder in (CORE, ROOT / "ui"):
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            for fn in ast.walk(tree):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                names = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == "_"]
                if any(isinstance(n.ctx, ast.Store) for n in names) and any(
                        isinstance(n.ctx, ast.Load) for n in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}")
    assert not offenders


# --- the language at the moment of the error ---------------------------------------------------

@pytest.fixture
def lang():
    """Switch the language in a test; the previous one is restored afterwards."""
    before = i18n._current["lang"]
    yield set_language
    i18n._current["lang"] = before


def test_catalogue_holds_the_core_terms():
    cat = catalogue("id")
    assert cat["no assessment {uuid} in this data folder"] == \
        "tidak ada penilaian {uuid} di folder data ini"
    assert cat["invalid template"] == "templat tidak valid"
    assert catalogue("en") == {}


@pytest.mark.parametrize("code, expected, other", [
    ("id", "di bawah batas minimum 0 menit", "below the minimum"),
    ("en", "below the minimum 0 menit", "batas minimum"),
])
def test_invalid_answer_speaks_the_current_language(tmp_path, lang, code, expected, other):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "Kantor Contoh"})
    lang(code)
    with pytest.raises(AnswerInvalid) as info:
        store.set_answer(uid, "b2", -5)
    assert expected in str(info.value) and other not in str(info.value)
    assert str(info.value).startswith("2.2 b2: ")  # the technical part stays as it is


@pytest.mark.parametrize("code, expected", [
    ("id", "tidak ada penilaian 0000-missing di folder data ini"),
    ("en", "no assessment 0000-missing in this data folder"),
])
def test_missing_assessment_speaks_the_current_language(tmp_path, lang, code, expected):
    store = mini_store(tmp_path)
    lang(code)
    with pytest.raises(AssessmentNotFound) as info:
        store.get("0000-missing")
    assert str(info.value) == expected


@pytest.mark.parametrize("code, expected", [
    ("id", "berstatus completed; buka kembali sebagai perubahan sebelum mengubahnya"),
    ("en", "is completed; reopen it as an amendment before changing it"),
])
def test_locked_assessment_speaks_the_current_language(tmp_path, lang, code, expected):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.complete(uid)
    lang(code)
    with pytest.raises(AssessmentLocked) as info:
        store.set_answer(uid, "a2", "no")
    assert expected in str(info.value)


@pytest.mark.parametrize("code, syntax, missing_key", [
    ("id", "bad.yaml: bukan YAML/JSON yang valid (baris 2, kolom 1)", "'bands' wajib ada"),
    ("en", "bad.yaml: not valid YAML/JSON (line 2, column 1)", "'bands' is required"),
])
def test_broken_template_file_speaks_the_current_language(tmp_path, lang, code, syntax,
                                                         missing_key):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: [assessor-template/1\n", "utf-8")
    thin = tmp_path / "thin.yaml"
    thin.write_text("format: assessor-template/1\nid: x\nversion: '1'\n"
                    "title: {id: X, en: X}\nsections: []\n", "utf-8")
    lang(code)
    with pytest.raises(TemplateInvalid) as info:
        load_template(bad)
    assert str(info.value).startswith(syntax)
    with pytest.raises(TemplateInvalid) as info:
        load_template(thin)
    assert f"thin.yaml: {missing_key}" in str(info.value).splitlines()


@pytest.mark.parametrize("code, expected", [
    ("id", "laporan.pdf: ini bukan gambar (tampaknya dokumen PDF)"),
    ("en", "laporan.pdf: this is not an image (it looks like a PDF document)"),
])
def test_non_image_photo_speaks_the_current_language(tmp_path, lang, code, expected):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "Kantor Contoh"})
    lang(code)
    with pytest.raises(EvidenceRejected) as info:
        store.add_photo(uid, "a1", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
                        original_name="laporan.pdf")
    assert str(info.value) == expected


def test_the_language_is_the_one_current_when_the_error_is_raised(tmp_path, lang):
    store = mini_store(tmp_path)
    lang("id")
    with pytest.raises(AssessmentNotFound) as first:
        store.get("abc")
    lang("en")
    with pytest.raises(AssessmentNotFound) as second:
        store.get("abc")
    assert "penilaian" in str(first.value) and "assessment" in str(second.value)
    assert language() == "en"


def test_cli_prints_errors_and_output_in_the_chosen_language(tmp_path, lang, capsys):
    from assessor_app.cli import main

    data = str(tmp_path / "data")
    assert main(["--lang", "id", "assessments", "show", "zzzz", "--data-dir", data]) == 2
    assert capsys.readouterr().err == ("assessor: tidak ada penilaian dengan id berawalan 'zzzz' "
                                       "(lihat 'assessor assessments list')\n")
    assert main(["--lang", "id", "assessments", "list", "--data-dir", data]) == 0
    assert capsys.readouterr().out.startswith("belum ada penilaian: buat penilaian dengan")
    assert main(["--lang", "en", "templates", "list", "--data-dir", data]) == 0
    assert capsys.readouterr().out.split()[:5] == ["ID", "VERSION", "TITLE", "ASSESSMENTS", "HASH"]
    assert main(["--lang", "id", "templates", "list", "--data-dir", data]) == 0
    assert capsys.readouterr().out.split()[:5] == ["ID", "VERSI", "JUDUL", "PENILAIAN", "HASH"]


def test_catalogues_agree_where_they_share_a_message():
    """The catalogues are merged: one msgid must mean one thing in every part of the program."""
    from babel.messages.pofile import read_po
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in sorted((ROOT / "resources" / "locale" / "id" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            for m in read_po(fh, locale="id"):
                if not m.id or not isinstance(m.id, str) or not m.string:
                    continue
                first = seen.setdefault(m.id, (path.name, m.string))
                if first[1] != m.string:
                    clashes.append(f"{m.id!r}: {first[0]} {first[1]!r} / {path.name} {m.string!r}")
    assert not clashes, "\n".join(clashes)
