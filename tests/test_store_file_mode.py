"""Issue 15: the laptop's database is readable by its own account only, whatever the umask."""

import os
import stat

from assessor_app.store import AssessmentStore


def test_a_new_laptop_database_is_private(tmp_path):
    old = os.umask(0o022)
    try:
        store = AssessmentStore(tmp_path / "data")
        store.set_setting("x", 1)
        store.close()
    finally:
        os.umask(old)
    for name in ("assessor.db", "assessor.db-wal", "assessor.db-shm"):
        path = tmp_path / "data" / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
