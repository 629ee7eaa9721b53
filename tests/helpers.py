"""Small builders shared by the core tests."""

from pathlib import Path

from assessor_app.demo import demo_photo, demo_signature
from assessor_app.store import AssessmentStore

FIX = Path(__file__).parent / "fixtures"
MINI = FIX / "templates" / "mini.yaml"


def mini_store(tmp_path, actor="tester") -> AssessmentStore:
    store = AssessmentStore(tmp_path / "data", actor=actor)
    store.import_template(MINI)
    return store


def filled_mini(store: AssessmentStore) -> str:
    """A complete, valid mini assessment with a photo, a finding and two signatures."""
    uid = store.create_assessment("mini", unit={"unit": "Kantor Contoh", "agency": "Pemkot Contoh",
                                                "address": "Jl. Contoh 1"},
                                  visit_dates=["2026-11-02"], inspectors=["Rina Kartika"],
                                  samples={"dim_b": ["Ani", "Budi"]})
    for item, value, sample in [("a1", "no", 0), ("a2", "yes", 0), ("a3", 2, 0), ("a4", "ok", 0),
                                ("b1", "ramah", 0), ("b1", "biasa", 1), ("b2", 12, 0), ("b2", 45, 1)]:
        store.set_answer(uid, item, value, sample=sample)
    store.set_note(uid, "a1", "papan informasi rusak")
    store.add_photo(uid, "a1", demo_photo("papan", 1), caption="Papan rusak", original_name="p.jpg")
    d = store.finding_defaults(uid, "a1", "id")
    store.add_finding(uid, "a1", text=d["text"], action=d["action"], responsible="Kepala Kantor",
                      due_date="2027-01-31")
    store.sign(uid, "inspector", name="Rina Kartika", png=demo_signature("Rina"))
    store.sign(uid, "representative", name="Pak Kepala", png=demo_signature("Pak"))
    return uid


def snapshot(store: AssessmentStore) -> dict:
    """Every row of every table, to prove that a refused operation changed nothing."""
    out = {}
    for table in store.db.table_names():
        out[table] = sorted(map(repr, store.conn.execute(f"SELECT * FROM [{table}]").fetchall()))
    return out
