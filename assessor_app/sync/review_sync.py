"""The review part of a sync (Qt-free), called by :class:`~.client.SyncClient`:

* :func:`send_outbox` sends the comments and decisions made on this laptop, oldest first (an
  approval uploads its countersigned PDF first, resumable like photos). Each is idempotent by
  its uuid; a refusal (the assessment changed meanwhile, or this device may not decide) is kept
  on the laptop with the server's reason, never dropped.
* :func:`fetch_for_page` runs before a page of changes is applied: on a supervisor's laptop it
  fetches the full documents of the team's work that changed, with every photo, drawn signature
  and signed report they reference, so review works offline after one sync; on any laptop it
  fetches a countersigned report the server holds for an assessment here.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from ..evidence.files import has_evidence, store_blob
from ..exchange import parse_exchange, referenced_blobs
from ..i18n import _
from . import uploads, wire
from .errors import SyncRejected, SyncUnavailable

REFUSED = (wire.E_STALE, wire.E_FORBIDDEN, wire.E_NOT_FOUND, wire.E_INVALID, wire.E_TOO_LARGE,
           wire.E_LOCKED)
REVIEWERS = ("supervisor", "admin")


def send_outbox(client, report) -> None:
    store, t = client.store, client.t
    for entry in store.review_outbox():
        try:
            if entry["kind"] == "comment":
                body = {"uuid": entry["uuid"], "text": entry["text"]}
                if entry["item"] is not None:
                    body.update(item=entry["item"], sample=entry["sample"] or 0)
                t.call("POST", f"/v1/assessments/{entry['assessment']}/comments", json=body)
            else:
                if entry["pdf_sha"]:
                    need = uploads.missing(t, [entry["pdf_sha"]])
                    if need:
                        uploads.upload_many(t, store.evidence_dir, need, workers=1,
                                            chunk_size=client.chunk_size)
                body = {"decision": entry["kind"], "comment": entry["text"],
                        "uuid": entry["uuid"], "rev": entry["rev"] or None,
                        "countersigned": entry["pdf_sha"]}
                t.call("POST", f"/v1/assessments/{entry['assessment']}/review", json=body)
        except SyncRejected as exc:
            if exc.code not in REFUSED:
                raise
            store.outbox_result(entry["uuid"], False, str(exc))
            report.reviews_refused.append({"uuid": entry["assessment"], "kind": entry["kind"],
                                           "message": str(exc)})
            continue
        store.outbox_result(entry["uuid"], True)
        report.reviews_sent.append({"uuid": entry["assessment"], "kind": entry["kind"]})


def fetch_for_page(client, changes: list[dict], report) -> dict:
    """Documents (uuid -> ExchangeFile) of team work to store with this page; files fetched."""
    store, t = client.store, client.t
    reviewer = client.settings.get("role") in REVIEWERS
    docs: dict = {}
    wanted: list[str] = []
    for ch in changes:
        if ch["kind"] != "assessment" or not ch.get("data"):
            continue
        data = ch["data"]
        uid = data["uuid"]
        cs = data.get("countersigned")
        if cs and not has_evidence(store.evidence_dir, cs["sha256"]):
            wanted.append(cs["sha256"])
        local = store.conn.execute("SELECT 1 FROM assessments WHERE uuid=?", (uid,)).fetchone()
        team = store.team_copy(uid)
        if local is not None and team is None:
            if _newer_elsewhere(store, uid, data):
                ex = fetch_document(client, uid, report)
                if ex is not None:
                    docs[uid] = ex
            continue
        if not reviewer:
            continue
        if data["status"] not in ("submitted", "returned", "approved"):
            continue
        if team is not None and team["content_hash"] == data["content_hash"]:
            continue
        answer = t.call("GET", f"/v1/assessments/{uid}")
        raw = json.dumps(answer["document"], ensure_ascii=False).encode("utf-8")
        ex = parse_exchange(raw, f"assessment {uid[:8]}")
        docs[uid] = ex
        wanted += [h for h in referenced_blobs(ex.doc)
                   if not has_evidence(store.evidence_dir, h)]
    download_many(client, list(dict.fromkeys(wanted)), report)
    return docs


def _newer_elsewhere(store, uid: str, data: dict) -> bool:
    """The server holds a revision of this laptop's own ``uid`` that another device made (or
    a merge), and nothing changed here since the last confirmed push."""
    item = store.sync_item(uid)
    if item["pending_doc"] is not None or data["rev"] <= (item["server_rev"] or 0):
        return False
    head = store.conn.execute("SELECT history_head FROM assessments WHERE uuid=?",
                              (uid,)).fetchone()[0]
    return item["synced_head"] == head


def fetch_document(client, uid: str, report):
    """The server's document of ``uid`` with its files fetched; None when it does not parse
    here (kept on the server, nothing changes on this laptop)."""
    from ..errors import ExchangeInvalid
    answer = client.t.call("GET", f"/v1/assessments/{uid}")
    raw = json.dumps(answer["document"], ensure_ascii=False).encode("utf-8")
    try:
        ex = parse_exchange(raw, f"assessment {uid[:8]}")
    except ExchangeInvalid:
        return None
    download_many(client, [h for h in referenced_blobs(ex.doc)
                           if not has_evidence(client.store.evidence_dir, h)], report)
    return ex


def adopt_merged(client, uid: str, rev: int, report) -> None:
    """After a push the server merged with another device's changes: write the merged
    document back to this laptop (when nothing changed here meanwhile)."""
    ex = fetch_document(client, uid, report)
    if ex is not None and client.store.adopt_server_document(uid, ex, rev):
        report.written_back.append(uid)


def download(t, evidence_dir, sha: str, max_time: float = 60.0) -> int:
    """Fetch one file by hash into ``evidence_dir`` (checked against its hash); returns bytes."""
    deadline = time.monotonic() + max_time
    last = ""
    attempt = 0
    while True:
        attempt += 1
        try:
            resp = t.http.get(f"/v1/blobs/{sha}")
            t.requests += 1
            if resp.status_code == 200 and hashlib.sha256(resp.content).hexdigest() == sha:
                store_blob(evidence_dir, resp.content, sha)
                return len(resp.content)
            if resp.status_code in (401, 403, 404):
                try:
                    body = resp.json()
                except ValueError:
                    body = {}
                code = body.get("error", wire.E_NOT_FOUND)
                from .errors import server_message
                raise SyncRejected(code, server_message(code, body.get("message"),
                                                        resp.status_code), resp.status_code, body)
            last = _("the server is having trouble (answer {status})").format(
                status=resp.status_code) if resp.status_code != 200 else \
                _("a file arrived damaged")
        except httpx.HTTPError as exc:
            last = _("the connection broke ({error})").format(error=type(exc).__name__)
        t.retries += 1
        delay = min(5.0, 0.1 * 2 ** min(attempt, 6))
        if time.monotonic() + delay > deadline:
            raise SyncUnavailable(_("sync stopped: {reason}. Nothing was lost; your work stays "
                                    "on this laptop and will be sent at the next sync.").format(
                reason=last))
        time.sleep(delay)


def download_many(client, hashes: list[str], report) -> None:
    if not hashes:
        return
    lock = threading.Lock()

    def one(sha: str) -> None:
        n = download(client.t, client.store.evidence_dir, sha, client.t.max_time)
        with lock:
            report.downloaded += 1
            report.bytes += n
    workers = max(1, min(client.workers, len(hashes)))
    if workers == 1:
        for h in hashes:
            one(h)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for f in [pool.submit(one, h) for h in hashes]:
            f.result()
