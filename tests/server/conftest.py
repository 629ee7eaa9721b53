"""Server tests run a real ``assessor-server serve`` process on 127.0.0.1: on SQLite always, and
on PostgreSQL when ASSESSOR_TEST_PG_URL is set (scripts/test.sh sets it after starting the
Debian cluster)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from assessor_app.store import AssessmentStore
from assessor_app.sync import enroll

from .serverproc import PG_ENV, ServerProcess

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers import MINI, filled_mini  # noqa: E402

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
STRESS = os.environ.get("ASSESSOR_STRESS") == "1"


@pytest.fixture(scope="session", params=BACKENDS)
def server(request, tmp_path_factory):
    if request.param == "postgres" and not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL to test against (scripts/test.sh "
                    f"starts the Debian cluster and sets it)")
    proc = ServerProcess(tmp_path_factory.mktemp(f"srv-{request.param}"), request.param)
    proc.admin.publish_template(MINI)
    yield proc
    proc.stop()


class Laptops:
    """Enrolled laptops (a store each) for one test; unique user names per test."""

    def __init__(self, server: ServerProcess, tmp_path: Path, tag: str):
        self.server, self.tmp, self.tag = server, tmp_path, tag
        self.stores: list[AssessmentStore] = []

    def user(self, name: str) -> str:
        return f"{name}-{self.tag}"

    def new(self, name: str, role: str = "inspector", team: str | None = None,
            url: str | None = None) -> AssessmentStore:
        user = self.user(name)
        store = AssessmentStore(self.tmp / f"laptop-{name}-{len(self.stores)}", actor=user)
        store.import_template(MINI)
        code = self.server.code(user, role, team or f"team-{self.tag}")
        enroll(store, url or self.server.url, code, device_name=f"{name}'s laptop")
        if url:
            store.set_setting("sync.server", self.server.url)
        self.stores.append(store)
        return store

    def close(self) -> None:
        for s in self.stores:
            s.close()


@pytest.fixture
def laptops(server, tmp_path, request):
    import uuid
    lp = Laptops(server, tmp_path, uuid.uuid4().hex[:6])
    yield lp
    lp.close()


def completed(store: AssessmentStore, photos: int = 1, complete: bool = True) -> str:
    """A complete mini assessment with ``photos`` unique photos (files new to the server)."""
    import uuid as uuidlib
    from assessor_app.demo import demo_photo
    uid = filled_mini(store)
    for i in range(photos):
        store.add_photo(uid, "a1", demo_photo(uuidlib.uuid4().hex, i), caption=f"foto {i}")
    if complete:
        store.complete(uid)
    return uid
