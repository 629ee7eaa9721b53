"""A closed round is a frozen snapshot (SQLite, and PostgreSQL when set): closing records the
results and the approved assessments' content hashes; the results are then served from the
snapshot even when the database changes underneath; `results ROUND --check` says whether a
recomputation still matches (exit 0) or lists what differs (exit 1)."""

import json

import sqlalchemy as sa

from assessor_app.server import db
from assessor_app.server.results import round_results

from .serverproc import run_cli


def test_closed_round_is_served_from_its_snapshot_and_checked(server):
    run_cli("demo-round", "Snap R", "--governments", "8", "--units-per-government", "2",
            "--seed", "11", data=server.data)
    rid = "Snap-R"
    run = run_cli("results", rid, "--check", data=server.data, check=False)
    assert run.returncode == 2 and "no frozen snapshot" in run.stderr     # not closed yet
    before = json.loads(run_cli("results", rid, "--json", data=server.data).stdout)

    closed = json.loads(run_cli("round", "state", rid, "closed", data=server.data).stdout)
    assert closed["state"] == "closed" and len(closed["snapshot"]["sha256"]) == 64
    with server.database.read() as conn:
        body = json.loads(conn.execute(sa.select(db.round_snapshots.c.body)
                                       .where(db.round_snapshots.c.round_id == rid)).scalar_one())
        a = db.assessments.c
        approved = dict(conn.execute(sa.select(a.uuid, a.content_hash)
                                     .where(a.round_id == rid, a.status == "approved")).all())
    by_id = lambda rows: {r["id"]: r for r in rows}  # noqa: E731
    assert by_id(body["rows"]) == by_id(before)
    assert {x["uuid"]: x["content_hash"] for x in body["assessments"]
            if x["status"] == "approved"} == approved
    run = run_cli("results", rid, "--check", data=server.data, check=False)
    assert run.returncode == 0 and "match" in run.stdout, run.stdout + run.stderr

    # the database changes underneath the closed round: an approved assessment's score and
    # hash, and a government's name in the register
    top = max((g for g in before if g["score"] is not None), key=lambda g: g["score"])
    victim = next(u["uuid"] for u in top["units"] if u["score"] is not None)
    with server.database.write() as conn:
        fc = db.assessment_facts.c
        facts = json.loads(conn.execute(sa.select(fc.facts).where(fc.uuid == victim)).scalar_one())
        facts["total"] = 1.0
        conn.execute(sa.update(db.assessment_facts).where(fc.uuid == victim)
                     .values(facts=json.dumps(facts)))
        conn.execute(sa.update(db.assessments).where(db.assessments.c.uuid == victim)
                     .values(content_hash="f" * 64))
        conn.execute(sa.update(db.governments).where(db.governments.c.id == top["id"])
                     .values(name="Renamed later"))
        db.record_change(conn, "test", victim)

    served = json.loads(run_cli("results", rid, "--json", data=server.data).stdout)
    assert served == before                                   # from the snapshot, unchanged
    view = round_results(server.database, rid)
    assert view.snapshot == closed["snapshot"]["sha256"]
    assert view.results.government(top["id"]).government.name == top["government"]

    run = run_cli("results", rid, "--check", data=server.data, check=False)
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    assert f"assessment {victim} changed after the round was closed" in out
    assert f"government {top['id']}: score was {top['score']}" in out
    assert f"government {top['id']}: government was {top['government']}, is now Renamed later" in out
    assert "differ" in out.splitlines()[0]
