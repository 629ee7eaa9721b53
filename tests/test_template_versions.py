"""Template versions: saving a new version (assessments stay pinned), the diff between two
versions, the findings library, and the CLI for them (XLSForm export/validate/import, diff)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from assessor_app.cli import main
from assessor_app.errors import TemplateInvalid, UserError
from assessor_app.store.templates import next_version
from assessor_app.templates.diff import diff_templates, format_diff

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import MINI, mini_store, snapshot  # noqa: E402

RES = Path(__file__).resolve().parent.parent / "resources" / "templates"


def changed_body(t):
    body = copy.deepcopy(t.body)
    body["version"] = next_version(t.version)
    items = body["sections"][0]["items"]
    items[0]["weight"] = 5
    removed = items.pop()["id"]
    items.append({"id": "a_new", "type": "yes_no", "text": {"id": "Butir baru", "en": "New item"}})
    body["bands"][-1]["label"] = {"id": "Buruk sekali", "en": "Very poor"}
    return body, removed


def test_new_version_leaves_assessments_pinned(tmp_path):
    store = mini_store(tmp_path)
    old = store.get_template("mini")
    uid = store.create_assessment("mini", unit={"unit": "Kantor"})
    body, _removed = changed_body(old)
    new = store.save_template_version(body)
    assert new.version == next_version(old.version) and new.hash != old.hash
    assert store.get_template("mini").hash == new.hash          # latest is the new one
    assert store.template_of(uid).hash == old.hash  # the assessment keeps its own
    assert [r["version"] for r in store.template_versions("mini")] == [old.version, new.version]


def test_saving_an_existing_version_again_is_refused_and_changes_nothing(tmp_path):
    store = mini_store(tmp_path)
    body = copy.deepcopy(store.get_template("mini").body)
    body["sections"][0]["items"][0]["weight"] = 9
    before = snapshot(store)
    with pytest.raises(TemplateInvalid, match="already installed"):
        store.save_template_version(body)
    assert snapshot(store) == before


def test_next_version():
    assert next_version("2024.1") == "2024.2"
    assert next_version("1.9") == "1.10"
    assert next_version("3") == "4"
    assert next_version("1.0-beta") == "1.0-beta.1"


def test_diff_names_items_weights_and_bands(tmp_path):
    store = mini_store(tmp_path)
    old = store.get_template("mini")
    body, removed = changed_body(old)
    d = diff_templates(old, body)
    assert [c.key for c in d.of("item", "added")] == ["a_new"]
    assert [c.key for c in d.of("item", "removed")] == [removed]
    weight = [c for c in d.of("item", "changed") if c.field == "weight"]
    assert weight and weight[0].new == 5
    band = d.of("band", "changed")
    assert band and band[0].field == "label"
    text = format_diff(d, "en")
    assert "+ item a_new" in text and f"- item {removed}" in text and "-> 5" in text
    assert diff_templates(old, old).empty


def test_library_entries_round_trip_and_bad_input(tmp_path):
    store = mini_store(tmp_path)
    store.save_library_entry("apar_expired", finding_id="APAR kedaluwarsa",
                             finding_en="Extinguisher expired", action_id="Isi ulang APAR",
                             action_en="Refill the extinguisher")
    assert store.library_entries("refill")[0]["key"] == "apar_expired"
    assert store.library_entries("nothing-like-this") == []
    before = snapshot(store)
    with pytest.raises(UserError, match="both languages"):
        store.save_library_entry("x", finding_id="a", finding_en="", action_id="b", action_en="c")
    with pytest.raises(UserError, match="key"):
        store.save_library_entry("bad key!", finding_id="a", finding_en="b", action_id="c",
                                 action_en="d")
    assert snapshot(store) == before
    store.delete_library_entry("apar_expired")
    assert store.library_entries() == []


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_xlsform_export_validate_import_and_diff(tmp_path, capsys):
    data = str(tmp_path / "d")
    form = tmp_path / "k3.xlsx"
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", data, "templates", "export",
                       "k3_kebakaran", "--format", "xlsform", "--out", str(form))
    assert code == 0 and form.exists()
    code, out_xlsx, _ = run(capsys, "--lang", "en", "templates", "validate", str(form))
    code2, out_yaml, _ = run(capsys, "--lang", "en", "templates", "validate",
                             str(RES / "k3_kebakaran.yaml"))
    assert code == code2 == 0
    assert out_xlsx.split("hash ")[1] == out_yaml.split("hash ")[1]   # same hash
    code, _, err = run(capsys, "--lang", "en", "--data-dir", data, "templates", "export",
                       "k3_kebakaran", "--format", "xlsform")
    assert code == 2 and "--out" in err and "Traceback" not in err
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", data, "templates", "import", str(form))
    assert code == 0 and "installed k3_kebakaran" in out
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", data, "library", "add", "k1",
                       "--finding-id", "Temuan", "--finding-en", "Finding", "--action-id", "Tindakan",
                       "--action-en", "Action")
    assert code == 0
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", data, "library", "list", "--json")
    assert json.loads(out)[0]["action_en"] == "Action"


def test_cli_diff_between_versions(tmp_path, capsys):
    store = mini_store(tmp_path)
    body, removed = changed_body(store.get_template("mini"))
    store.save_template_version(body)
    store.close()
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", str(tmp_path / "data"), "templates",
                       "diff", "mini", "1.0")
    assert code == 0 and "+ item a_new" in out and removed in out


def test_cli_import_of_a_partial_xlsform_lists_skipped_rows(tmp_path, capsys):
    from openpyxl import Workbook
    book = Workbook()
    ws = book.active
    ws.title = "survey"
    for row in [["type", "name", "label"], ["begin group", "g", "G"],
                ["select_one yn", "q1", "Q1"], ["calculate", "c", ""], ["end group"]]:
        ws.append(row)
    ch = book.create_sheet("choices")
    for row in [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]:
        ch.append(row)
    form = tmp_path / "p.xlsx"
    book.save(form)
    code, out, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path / "d"), "templates",
                         "import", str(form))
    assert code == 0 and "installed p 1 (1 items" in out
    assert "p.xlsx: survey row 4, column 'type': skipped:" in err and "1 rows" in err
