"""Review operations shared by the CLI and the desktop app (Qt-free): the inspector keeps a
signed report with the assessment; the supervisor countersigns the inspector's signed PDF (the
archived file itself, never a regenerated report) and queues the approval, or returns the work
with a comment. Queued decisions are sent by the next sync (assessor_app.sync.review_sync).

Every function takes the store of the calling thread and commits before it returns.
"""

from __future__ import annotations

from datetime import datetime, timezone

from .errors import UserError
from .i18n import _
from .pki.people import name_of


def sign_and_keep(store, uuid: str, signer, *, crl_der: bytes | None, lang: str | None = None,
                  organisation: str | None = None, logo_path=None, drawn_png=None) -> dict:
    """Make the report of ``uuid``, sign it as the inspector and keep it with the assessment
    (pushed by the next sync). Returns ``{kind, sha256, size, pdf, report_no}``."""
    from .reports.builder import build_report
    from .reports.signing import sign_report
    a = store.get(uuid)
    if store.is_team_copy(uuid):
        raise UserError(_("assessment {uuid} is a team member's work; only its inspector signs "
                          "its report").format(uuid=uuid[:8]))
    if a.status not in ("completed", "submitted"):
        raise UserError(_("assessment {uuid} is {status}: complete it before signing its "
                          "report").format(uuid=uuid[:8], status=a.status))
    report = build_report(store, uuid, lang=lang, organisation=organisation, logo_path=logo_path)
    signed = sign_report(report.pdf, signer, "inspector", crl_der=crl_der, drawn_png=drawn_png,
                         lang=report.lang)
    kept = store.keep_signed_report(uuid, signed, "signed", by=name_of(signer.certificate))
    return {**kept, "pdf": signed, "report_no": report.report_no}


def check_decidable(store, uuid: str) -> dict:
    """The team copy of ``uuid`` when a decision may be taken on it here, else UserError."""
    team = store.team_copy(uuid)
    if team is None:
        raise UserError(_("assessment {uuid} is not a team member's submitted work on this "
                          "laptop; only the supervisor approves or returns it").format(
            uuid=uuid[:8]))
    if team["status"] != "submitted":
        raise UserError(_("assessment {uuid} is {status}; only submitted work can be approved "
                          "or returned").format(uuid=uuid[:8], status=team["status"]))
    for entry in store.review_outbox():
        if entry["assessment"] == uuid and entry["kind"] != "comment":
            raise UserError(_("a decision on assessment {uuid} is already waiting to be sent; "
                              "sync first").format(uuid=uuid[:8]))
    return team


def countersign_and_approve(store, uuid: str, signer, *, crl_der: bytes | None,
                            tsa_url: str | None = None, comment: str = "",
                            lang: str | None = None, now: datetime | None = None) -> dict:
    """Countersign the inspector's signed PDF of ``uuid`` and queue the approval. Nothing is
    kept or queued when signing is refused. Returns the outbox entry plus ``sha256``."""
    from .reports.signing import sign_report
    check_decidable(store, uuid)
    if "signed" not in store.signed_reports(uuid):
        raise UserError(_("the inspector has not sent a signed report for assessment {uuid}; it "
                          "cannot be countersigned (return it, or wait for the next sync)").format(
            uuid=uuid[:8]))
    _kind, pdf = store.signed_report_bytes(uuid, "signed")
    signed = sign_report(pdf, signer, "supervisor", crl_der=crl_der, tsa_url=tsa_url,
                         lang=lang or "id", now=now or datetime.now(timezone.utc))
    kept = store.keep_signed_report(uuid, signed, "countersigned", by=name_of(signer.certificate))
    entry = store.queue_review(uuid, "approve", comment or "", pdf_sha=kept["sha256"])
    return {**entry, "sha256": kept["sha256"], "size": kept["size"]}


def return_work(store, uuid: str, comment: str) -> dict:
    """Queue returning ``uuid`` to its inspector with ``comment`` (required)."""
    if not (comment or "").strip():
        raise UserError(_("returning work needs a comment saying what to fix"))
    check_decidable(store, uuid)
    return store.queue_review(uuid, "return", comment)
