"""Databases made by each released schema open in this version (with a backup before migrating)."""

import shutil
from decimal import Decimal
from pathlib import Path

from assessor_app.store import AssessmentStore, migrations

FIXTURES = Path(__file__).parent / "fixtures"
V1_UUID = "34e242ff-2fe6-4327-afe0-f31ee39ef079"


def copy_fixture(name, tmp_path) -> Path:
    dst = tmp_path / name
    shutil.copytree(FIXTURES / name, dst)
    return dst


def test_v1_data_folder_opens_with_everything_intact(tmp_path):
    data = copy_fixture("db-v1", tmp_path)
    with AssessmentStore(data) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        a = store.get(V1_UUID)
        assert a.status == "completed" and len(a.evidence) == 1 and len(a.signatures) == 2
        assert store.score(V1_UUID).total == Decimal("65.00")
        assert store.verify_history(V1_UUID).ok
        assert store.get_setting("inspector_name") == "Rina"
    if migrations.LATEST > 1:   # a real upgrade happened: the backup is there
        assert list(data.glob("assessor.db.before-v1-*.bak"))


def test_migration_copies_the_database_first_and_is_atomic(tmp_path, monkeypatch):
    data = copy_fixture("db-v1", tmp_path)
    with AssessmentStore(data):
        pass   # bring it to the current schema first

    def add_column(db):
        """test step: add a column"""
        db["assessments"].add_column("bench_note", str)

    def broken(db):
        """test step that fails half-way"""
        db["assessments"].add_column("half_done", str)
        raise RuntimeError("power cut")

    latest = migrations.LATEST
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [(latest + 1, add_column),
                                                                         (latest + 2, broken)])
    monkeypatch.setattr(migrations, "LATEST", latest + 2)
    try:
        AssessmentStore(data)
    except RuntimeError:
        pass
    backups = list(data.glob(f"assessor.db.before-v{latest}-*.bak"))
    assert len(backups) == 1
    import sqlite3
    conn = sqlite3.connect(data / "assessor.db")
    cols = {r[1] for r in conn.execute("PRAGMA table_info(assessments)")}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest + 1
    assert "bench_note" in cols and "half_done" not in cols     # the failed step left nothing
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == latest


def test_the_backup_is_the_old_database_and_a_second_opening_makes_none(tmp_path):
    """An older build's folder opened by a newer one (the desktop bundle's upgrade path): the
    backup holds the schema-1 data as it was, and a folder already upgraded is left alone."""
    import sqlite3
    data = copy_fixture("db-v1", tmp_path)
    with AssessmentStore(data):
        pass
    with AssessmentStore(data) as store:
        assert store.get(V1_UUID).status == "completed"
    backups = list(data.glob("assessor.db.before-v*.bak"))
    assert len(backups) == (1 if migrations.LATEST > 1 else 0)
    for backup in backups:
        old = sqlite3.connect(backup)
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT uuid, status FROM assessments").fetchall() == [(V1_UUID, "completed")]
        assert old.execute("SELECT count(*) FROM history WHERE assessment=?", (V1_UUID,)).fetchone()[0] == 15
        old.close()
