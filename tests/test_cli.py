"""The ``assessor`` command end to end, in a real subprocess."""

import json
import os
import subprocess
import sys

import pytest

from helpers import MINI


def run(data_dir, *args, ok=True):
    env = {**os.environ, "ASSESSOR_LANG": "en", "ASSESSOR_ACTOR": "cli-test"}
    proc = subprocess.run([sys.executable, "-m", "assessor_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120)
    if ok:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    out = run(d, "demo").stdout
    assert "demo data loaded" in out
    return d


def test_templates_list_show_validate_import_export(tmp_path):
    rows = json.loads(run(tmp_path, "templates", "list", "--json").stdout)
    ids = {r["id"] for r in rows}
    assert {"ori_kepatuhan_2021", "ori_penilaian_2022", "k3_kebakaran"} <= ids
    assert "valid (mini 1.0, 6 items" in run(tmp_path, "templates", "validate", str(MINI)).stdout
    assert "installed mini 1.0" in run(tmp_path, "templates", "import", str(MINI)).stdout
    shown = run(tmp_path, "templates", "show", "mini").stdout
    assert "1.1* Is there a notice board?" in shown and "per Officer: 1-5" in shown
    out = tmp_path / "mini.json"
    run(tmp_path, "templates", "export", "mini", "--out", str(out))
    assert json.loads(out.read_text())["id"] == "mini"


def test_invalid_template_is_a_clear_error_with_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text().replace("weight: 60", "weight: -60"))
    proc = run(tmp_path, "templates", "validate", str(bad), ok=False)
    assert proc.returncode == 2
    assert "bad.yaml: sections[0].weight: must be a number above 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_demo_lists_states_and_zones(demo_dir):
    rows = json.loads(run(demo_dir, "assessments", "list", "--json").stdout)
    assert len(rows) >= 6
    assert {"draft", "completed", "submitted", "approved", "returned"} <= {r["status"] for r in rows}
    assert {"green", "yellow", "red"} <= {r["zone"] for r in rows if r["zone"]}
    table = run(demo_dir, "assessments", "list").stdout
    assert "SCORE" in table and rows[0]["uuid"][:8] in table


def test_show_score_export_import_and_history(demo_dir, tmp_path):
    rows = json.loads(run(demo_dir, "assessments", "list", "--json", "--status", "approved").stdout)
    uid = rows[0]["uuid"]
    shown = run(demo_dir, "assessments", "show", uid[:8]).stdout
    assert f"id {uid}" in shown and "status approved" in shown
    doc = json.loads(run(demo_dir, "assessments", "show", uid[:8], "--json").stdout)
    assert doc["assessment"]["uuid"] == uid
    out = tmp_path / "a.zip"
    run(demo_dir, "assessments", "export", uid, "--out", str(out))
    scored = json.loads(run(demo_dir, "score", str(out), "--json").stdout)
    assert scored["matches_file"] and scored["total"] == rows[0]["score"]
    assert "Largest losses" in run(demo_dir, "score", str(out), "--explain").stdout or \
        scored["total"] == 100.0
    other = tmp_path / "other"
    assert f"imported {uid}" in run(other, "assessments", "import", str(out)).stdout
    assert "already here" in run(other, "assessments", "import", str(out)).stdout
    assert "verifies" in run(demo_dir, "history", "verify", uid[:8]).stdout
    hist = json.loads(run(demo_dir, "history", "show", uid[:8], "--json").stdout)
    assert hist[0]["action"] == "create" and hist[-1]["action"] == "approve"


def test_answer_complete_reopen_delete(tmp_path):
    run(tmp_path, "templates", "import", str(MINI))
    uid = run(tmp_path, "assessments", "new", "--template", "mini", "--unit", "Kantor A",
              "--samples", "dim_b=Ani;Budi").stdout.strip()
    assert "saved a1#0" in run(tmp_path, "assessments", "answer", uid[:8], "a1", "yes").stdout
    bad = run(tmp_path, "assessments", "answer", uid[:8], "b1", "galak", "--sample", "2", ok=False)
    assert bad.returncode == 2 and "is not one of the options" in bad.stderr
    blocked = run(tmp_path, "assessments", "complete", uid[:8], ok=False)
    assert blocked.returncode == 2 and "missing answer" in blocked.stdout
    for sample in ("1", "2"):
        run(tmp_path, "assessments", "answer", uid[:8], "b1", "ramah", "--sample", sample)
    assert "completed" in run(tmp_path, "assessments", "complete", uid[:8]).stdout
    locked = run(tmp_path, "assessments", "answer", uid[:8], "a1", "no", ok=False)
    assert "reopen it" in locked.stderr
    run(tmp_path, "assessments", "reopen", uid[:8], "--reason", "wrong answer")
    run(tmp_path, "assessments", "delete", uid[:8])
    assert json.loads(run(tmp_path, "assessments", "list", "--json").stdout) == []


def test_tampered_history_makes_verify_fail(tmp_path):
    import sqlite3
    run(tmp_path, "templates", "import", str(MINI))
    uid = run(tmp_path, "assessments", "new", "--template", "mini", "--unit", "U").stdout.strip()
    run(tmp_path, "assessments", "answer", uid, "a1", "yes")
    conn = sqlite3.connect(tmp_path / "assessor.db")
    conn.execute("UPDATE history SET new='\"no\"' WHERE seq=2")
    conn.commit()
    conn.close()
    proc = run(tmp_path, "history", "verify", uid, ok=False)
    assert proc.returncode == 1 and "BROKEN" in proc.stdout and "entry 2" in proc.stdout


def test_unknown_assessment_and_missing_file(tmp_path):
    proc = run(tmp_path, "assessments", "show", "abcdef", ok=False)
    assert proc.returncode == 2 and "no assessment whose id starts with 'abcdef'" in proc.stderr
    proc = run(tmp_path, "assessments", "import", str(tmp_path / "nope.zip"), ok=False)
    assert proc.returncode == 2 and "nope.zip: cannot be read" in proc.stderr


def test_demo_twice_adds_nothing(demo_dir):
    before = len(json.loads(run(demo_dir, "assessments", "list", "--json").stdout))
    assert "already" in run(demo_dir, "demo").stdout
    assert len(json.loads(run(demo_dir, "assessments", "list", "--json").stdout)) == before
