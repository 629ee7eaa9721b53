"""The sync client (Qt-free): enrol once, then ``SyncClient(store).sync()``.

One sync = check the server (protocol, epoch) -> pull changes page by page (templates,
assignments, review decisions and comments, the CRL), each page applied with its cursor in one
local transaction -> push every assessment with unconfirmed changes: upload the photos the
server lacks (resumable), then send the revision; it counts as sent only when the server
confirmed the revision, which it does only once every referenced file has arrived.

Threads: a SyncClient uses the store it is given, so build both in the thread that syncs.
``on_progress(SyncProgress)`` is called from that thread, and from the upload helper threads
while photos are sent (serialised by a lock): a UI must hand it over with a signal.
"""

from __future__ import annotations

import json
import platform
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

from ..exchange import export_document, referenced_blobs
from . import review_sync, uploads, wire
from ..i18n import _
from .errors import NotEnrolled, SyncRejected
from .transport import Transport


BATCH = 20      # assessments whose photos are uploaded together


@dataclass
class SyncProgress:
    phase: str                 # "pull", "push", "done"
    items_done: int = 0
    items_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    current: str = ""


@dataclass
class SyncReport:
    pulled: dict = field(default_factory=dict)
    pushed: list = field(default_factory=list)        # uuids confirmed
    files: int = 0
    bytes: int = 0
    merged: list = field(default_factory=list)        # {uuid, flags, conflicts}
    locked: list = field(default_factory=list)        # {uuid, message}
    refused: list = field(default_factory=list)       # {uuid, message}
    created: list = field(default_factory=list)       # drafts started from assignments
    resynced: bool = False
    reviews_sent: list = field(default_factory=list)      # {uuid, kind} comments, decisions
    reviews_refused: list = field(default_factory=list)   # {uuid, kind, message}, kept here
    downloaded: int = 0                                   # files fetched (team work, reports)
    written_back: list = field(default_factory=list)      # own work merged on the server
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def enroll(store, url: str, code: str, *, device_name: str | None = None, csr: str | None = None,
           max_time: float = 30.0) -> dict:
    """Trade a one-time code for this laptop's token and keep it in ``store``. A retry after a
    lost answer uses the same nonce, so the server hands this same device a fresh token."""
    url = url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        url = "https://" + url
    t = Transport(url, max_time=max_time)
    try:
        body = {"code": code.strip(), "device_name": device_name or platform.node() or "laptop",
                "nonce": secrets.token_urlsafe(24)}
        if csr:
            body["csr"] = csr
        answer = t.call("POST", "/v1/devices/enroll", json=body)
    finally:
        t.close()
    answer["sync_reset"] = store.save_enrolment(url, answer)
    return answer


class SyncClient:
    def __init__(self, store, *, on_progress: Callable[[SyncProgress], None] | None = None,
                 max_time: float = 60.0, page_size: int = 200, transport=None,
                 chunk_size: int = wire.CHUNK_SIZE, workers: int = 4):
        self.store = store
        settings = store.sync_settings()
        if not settings.get("token") or not settings.get("server"):
            raise NotEnrolled(_("this laptop is not enrolled with a sync server yet: enter the "
                                "server address and the code from your administrator"))
        self.settings = settings
        self.t = Transport(settings["server"], settings["token"], max_time=max_time,
                           transport=transport)
        self.on_progress = on_progress or (lambda p: None)
        self.page_size = page_size
        self.chunk_size = chunk_size
        self.workers = workers

    def close(self) -> None:
        self.t.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def sync(self) -> SyncReport:
        started = time.monotonic()
        report = SyncReport()
        try:
            self._check_server(report)
            review_sync.send_outbox(self, report)
            self._pull(report)
            report.created = self.store.materialise_assignments()
            self._push(report)
        except Exception as exc:
            from ..errors import UserError
            self.store.record_sync_result(False, str(exc) if isinstance(exc, UserError)
                                          else _("unexpected problem: {error}").format(error=exc))
            raise
        finally:
            report.requests, report.retries = self.t.requests, self.t.retries
            report.seconds = time.monotonic() - started
        self.store.record_sync_result(True)
        self.on_progress(SyncProgress("done", len(report.pushed), len(report.pushed),
                                      report.bytes, report.bytes))
        return report

    # ------------------------------------------------------------------ steps
    def _check_server(self, report: SyncReport) -> None:
        meta = self.t.call("GET", "/v1/meta")
        if not meta.get("protocol_min", 1) <= wire.PROTOCOL <= meta.get("protocol_max", 1):
            raise SyncRejected(wire.E_PROTOCOL, _("the server speaks a different sync protocol "
                                                  "version: update Assessor on this laptop"))
        known = self.settings.get("epoch")
        if known and meta.get("epoch") and meta["epoch"] != known:
            self.store.forget_server_state(meta["epoch"])
            report.resynced = True

    def _pull(self, report: SyncReport) -> None:
        cursor = int(self.store.sync_settings().get("cursor") or 0)
        while True:
            self.on_progress(SyncProgress("pull", current=str(cursor)))
            try:
                page = self.t.call("GET", "/v1/changes",
                                   params={"cursor": cursor, "limit": self.page_size})
            except SyncRejected as exc:
                if exc.code != wire.E_RESYNC:
                    raise
                self.store.forget_server_state(exc.data.get("epoch"))
                report.resynced = True
                cursor = 0
                continue
            docs = review_sync.fetch_for_page(self, page["changes"], report)
            counts = self.store.apply_changes(page["changes"], page["next_cursor"],
                                              page.get("epoch"), docs)
            for k, v in counts.items():
                report.pulled[k] = report.pulled.get(k, 0) + v
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return

    def _push(self, report: SyncReport) -> None:
        todo = self.store.push_candidates(bool(self.settings.get("push_drafts")))
        progress = SyncProgress("push", 0, len(todo))
        self.on_progress(progress)
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            # the photos of a batch of assessments first (one "which are missing?" question,
            # parallel uploads); then each revision, which the server accepts only complete
            hashes: list[str] = []
            for uuid in batch:
                for h in referenced_blobs(json.loads(self._prepare(uuid)[2])):
                    if h not in hashes:
                        hashes.append(h)
            self._upload(hashes, report, progress)
            for uuid in batch:
                progress.current = uuid
                self._push_one(uuid, report, progress)
                progress.items_done += 1
                self.on_progress(progress)

    def _prepare(self, uuid: str) -> tuple[int, int, str]:
        """The revision to send for ``uuid``: the pending one, else a new one from the store."""
        item = self.store.sync_item(uuid)
        if item["pending_doc"] is not None:
            return item["pending_rev"], item["pending_base"], item["pending_doc"]
        head = self.store.get(uuid).history_head
        text = json.dumps(export_document(self.store, uuid), ensure_ascii=False,
                          separators=(",", ":"))
        rev, base = self.store.begin_push(uuid, text, head)
        return rev, base, text

    def _push_one(self, uuid: str, report: SyncReport, progress: SyncProgress) -> None:
        include = bool(self.settings.get("push_drafts"))
        for _round in range(3):     # a pending revision first, then the newer content
            if _round and self.store.sync_item(uuid)["pending_doc"] is None \
                    and not self.store.needs_push(uuid, include):
                return
            rev, base, text = self._prepare(uuid)
            if not self._send(uuid, rev, base, text, report, progress, check=bool(_round)):
                return

    def _send(self, uuid, rev, base, text, report: SyncReport, progress: SyncProgress,
              check: bool = True) -> bool:
        if check:
            self._upload(referenced_blobs(json.loads(text)), report, progress)
        body = text.encode("utf-8")
        for _attempt in range(6):
            try:
                answer = self.t.call("PUT", f"/v1/assessments/{uuid}/revisions/{rev}",
                                     params={"base_rev": base}, content=body,
                                     headers={"Content-Type": "application/json"})
            except SyncRejected as exc:
                if exc.code == wire.E_MISSING_BLOBS:
                    self._upload(exc.data.get("missing", []), report, progress, check=False)
                    continue
                if exc.code == wire.E_REVISION_TAKEN:
                    rev = self.store.renumber_push(uuid, int(exc.data.get("current_rev", rev)))
                    continue
                if exc.code == wire.E_LOCKED:
                    self.store.push_failed(uuid, str(exc), locked=True, drop_pending=True)
                    report.locked.append({"uuid": uuid, "message": str(exc)})
                    return False
                if exc.code in (wire.E_INVALID, wire.E_TOO_LARGE, wire.E_FORBIDDEN, wire.E_NOT_FOUND):
                    self.store.push_failed(uuid, str(exc), drop_pending=True)
                    report.refused.append({"uuid": uuid, "message": str(exc)})
                    return False
                raise
            self.store.confirm_push(uuid, answer)
            report.pushed.append(uuid)
            if answer.get("new_flags"):
                report.merged.append({"uuid": uuid, "flags": answer["new_flags"],
                                      "conflicts": answer.get("conflicts", [])})
            if answer.get("merged"):
                review_sync.adopt_merged(self, uuid, answer["server_rev"], report)
            return True
        raise SyncRejected("push", _("assessment {uuid} could not be sent (the server kept "
                                     "asking for files); sync again").format(uuid=uuid[:8]))

    def _upload(self, hashes, report, progress, check=True) -> None:
        need = uploads.missing(self.t, hashes) if check and hashes else list(hashes)
        if not need:
            return
        from ..evidence.files import evidence_path
        progress.bytes_total += sum(evidence_path(self.store.evidence_dir, h).stat().st_size
                                    for h in need)

        def on_bytes(n: int) -> None:
            progress.bytes_done += n
            report.bytes += n
            self.on_progress(progress)
        uploads.upload_many(self.t, self.store.evidence_dir, need, workers=self.workers,
                            chunk_size=self.chunk_size, on_bytes=on_bytes)
        report.files += len(need)
