"""Crash safety: SIGKILL a process that is writing answers, at random moments, many times.

After every kill the database must pass SQLite's integrity check, the history chain must verify,
and every answer the store had confirmed (``set_answer`` returned) must be there. The answer
being written at the moment of the kill may or may not have landed, but nothing else may differ.

CI runs 200 kills on a plain and 200 on an encrypted (SQLCipher) store; ``ASSESSOR_STRESS=1``
runs 3,000 each.
"""

import json
import os
import random
import signal
import time

import pytest

from assessor_app.store import AssessmentStore

from helpers import MINI

STRESS = bool(os.environ.get("ASSESSOR_STRESS"))
KILLS = 3000 if STRESS else 200
#: the chain grows with every write, so checking it after every kill is quadratic; the stress run
#: checks it after every 10th kill and after the last (integrity and answers after every kill)
CHAIN_EVERY = 10 if STRESS else 1
ITEMS = [("a1", ["yes", "no"], 1), ("a2", ["yes", "no", "na"], 1), ("a3", [0, 1, 2, 3], 1),
         ("b1", ["ramah", "biasa", "kasar"], 2), ("b2", [0, 5, 30, 120], 2)]


def _writer(data_dir, uid, seed, fd):
    """Child process: write answers forever; report intent and confirmation on the pipe."""
    rnd = random.Random(seed)
    store = AssessmentStore(data_dir, actor="crash")
    out = os.fdopen(fd, "w", buffering=1)
    while True:
        item, values, samples = rnd.choice(ITEMS)
        value, sample = rnd.choice(values), rnd.randrange(samples)
        out.write(json.dumps(["w", item, sample, value]) + "\n")
        store.set_answer(uid, item, value, sample=sample)
        out.write("c\n")


@pytest.mark.timeout(3600 if STRESS else 900)
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_sigkill_while_writing_never_loses_a_confirmed_answer(tmp_path, encrypted):
    data_dir = tmp_path / "data"
    with AssessmentStore(data_dir) as store:
        store.import_template(MINI)
        uid = store.create_assessment("mini", unit={"unit": "Crash"})
    if encrypted:   # SQLCipher under the same pragmas; the forked writers inherit the key
        from assessor_app.encryption import encrypt_folder
        encrypt_folder(data_dir, "crash-test-passphrase")
        assert not (data_dir / "assessor.db").read_bytes().startswith(b"SQLite format 3")
    expected: dict = {}
    rnd = random.Random(20261127)
    lost_in_flight = 0
    for kill in range(KILLS):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(r)
            try:
                _writer(data_dir, uid, kill, w)
            finally:
                os._exit(0)
        os.close(w)
        time.sleep(rnd.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(r) as pipe:
            lines = pipe.read().splitlines()
        pending = None
        for line in lines:
            if line.startswith("["):
                pending = json.loads(line)
            elif line == "c" and pending:
                expected[(pending[1], pending[2])] = pending[3]
                pending = None
        with AssessmentStore(data_dir) as store:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            if kill % CHAIN_EVERY == 0 or kill == KILLS - 1:
                check = store.verify_history(uid)
                assert check.ok, check.problem
            answers = store.get(uid).answers
        if pending:  # the write in flight may have committed before the kill
            key = (pending[1], pending[2])
            if answers.get(key) == pending[3] and expected.get(key) != pending[3]:
                expected[key] = pending[3]
            else:
                lost_in_flight += 1
        assert answers == expected, f"after kill {kill + 1}"
    assert len(expected) == sum(s for _, _, s in ITEMS)   # every key got written at some point
