"""Fault injection: a real TCP proxy between laptops and server drops connections mid-request
and mid-answer, delays, answers 502 or an HTML page, and cuts uploads mid-chunk. However the
faults fall, once every laptop has synced the server holds exactly what the laptops hold: each
assessment once, at the content the laptop last sent, with every photo, and no extra revision.
"""

import json
import random

import pytest
import sqlalchemy as sa

from assessor_app.demo import demo_photo
from assessor_app.evidence.files import read_evidence
from assessor_app.exchange import export_document, referenced_blobs
from assessor_app.server import db
from assessor_app.sync import SyncClient
from assessor_app.sync.errors import SyncUnavailable

from .conftest import STRESS, completed
from .faultproxy import FaultProxy

RUNS = 60 if STRESS else 10


def _sync_until_done(store, proxy_url, rng) -> int:
    store.set_setting("sync.server", proxy_url)
    for attempt in range(1, 30):
        try:
            with SyncClient(store, max_time=rng.choice([0.5, 2.0]), chunk_size=64 * 1024) as c:
                c.sync()
            if store.sync_summary()["waiting"] == 0:
                return attempt
        except SyncUnavailable:
            continue
    raise AssertionError("sync never completed")


def _check_server_matches(server, stores):
    expected = {}
    for store in stores:
        for row in store.list_assessments():
            drafts = store.sync_settings().get("push_drafts")
            if row["status"] in ("submitted", "completed") or (drafts and row["status"] == "draft"):
                expected[row["uuid"]] = (store, row)
    with server.database.read() as c:
        held = {r.uuid: r for r in c.execute(sa.select(db.assessments))}
        revs = c.execute(sa.select(db.revisions.c.uuid, db.revisions.c.sent_hash)).all()
        links = c.execute(sa.select(db.assessment_blobs)).all()
    mine = [r for r in revs if r.uuid in expected]
    assert len(mine) == len({(r.uuid, r.sent_hash) for r in mine}), "a revision was stored twice"
    for uid, (store, row) in expected.items():
        assert uid in held, f"{uid} missing on the server"
        a = held[uid]
        assert a.status == ("draft" if row["status"] == "draft" else "submitted")
        assert a.rev == store.sync_item(uid)["server_rev"]
        server_doc = json.loads(a.doc)
        local = export_document(store, uid)
        assert server_doc["answers"] == local["answers"]
        want = set(referenced_blobs(local))
        assert {l.sha256 for l in links if l.uuid == uid} == want
        for sha in want:                       # every photo there, intact
            assert read_evidence(server.data / "blobs", sha) == read_evidence(store.evidence_dir, sha)


@pytest.mark.parametrize("seed", range(RUNS))
def test_random_faults_never_duplicate_or_lose_a_photo(server, laptops, seed):
    rng = random.Random(seed)
    stores = [laptops.new(f"ins{i}") for i in range(2)]
    for store in stores:
        for _ in range(rng.randint(1, 3)):
            completed(store, photos=rng.randint(1, 3))
    proxy = FaultProxy(server.port, seed=seed, rate=rng.choice([0.2, 0.4]))
    try:
        for store in stores:
            _sync_until_done(store, proxy.url, rng)
        # a draft backed up, edited after a sync that may have broken half-way, synced again
        store = stores[0]
        store.set_setting("sync.push_drafts", True)
        draft = completed(store, photos=1, complete=False)
        try:
            with SyncClient(store, max_time=0.2, chunk_size=64 * 1024) as c:
                c.sync()
        except SyncUnavailable:
            pass
        store.set_answer(draft, "a4", "fair")
        store.add_photo(draft, "a1", demo_photo(f"edit-{seed}", seed), caption="after")
        _sync_until_done(store, proxy.url, rng)
    finally:
        proxy.close()
    assert sum(proxy.injected.values()) > 0
    _check_server_matches(server, stores)
