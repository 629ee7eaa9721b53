"""The exchange format: one JSON document per assessment (``assessor-exchange/1``).

Documented in docs/formats.md; schema in resources/schemas/exchange.schema.json. The same
document is what export/import use, what sync pushes, and what the PDF report embeds.

Files: ``*.json`` holds the document alone (photos by hash); ``*.zip`` holds ``assessment.json``
and ``evidence/<sha256>`` for every photo and signature image, so it travels complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jsonschema

from .answers import validate_answer
from .fileio import atomic_write, printable, read_input
from .errors import AnswerInvalid, EvidenceRejected, ExchangeInvalid, TemplateInvalid, UserError
from .evidence.files import (check_evidence_bytes, evidence_path, has_evidence, read_evidence,
                             store_blob)
from .evidence.report_copy import remove_evidence
from .i18n import _
from .paths import resource
from .scoring import AnswerSheet, score as score_sheet
from .store.base import dumps, now
from .store.fields import check_finding, check_unit, check_visit_dates
from .store.history import entry_hash
from .store.records import counted_samples
from .templates.loader import body_hash, build_template, canonical_json, check_values
from .templates.model import Template

FORMAT = "assessor-exchange/1"
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_ZIP_MEMBER = 60 * 1024 * 1024
MAX_ZIP_TOTAL = 4 * 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000 + 10 + 1          # photos, signatures and assessment.json
HASHED_OUT = ("content_hash", "exported_at")


@lru_cache(maxsize=1)
def exchange_schema() -> dict:
    return json.loads(resource("schemas", "exchange.schema.json").read_text("utf-8"))


def content_hash(doc: dict) -> str:
    """SHA-256 of the canonical JSON of the document without ``content_hash``/``exported_at``."""
    body = {k: v for k, v in doc.items() if k not in HASHED_OUT}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def export_document(store, uuid: str) -> dict:
    """Build the exchange document of one assessment from the store."""
    a = store.get(uuid)
    template = store.template_of(a)
    result = score_sheet(template, a.sheet())
    answers = []
    keys = sorted(set(a.answers) | set(a.item_notes))
    for item_id, sample in keys:
        entry = {"item": item_id, "sample": sample}
        if (item_id, sample) in a.answers:
            entry["value"] = a.answers[(item_id, sample)]
        if a.item_notes.get((item_id, sample)):
            entry["note"] = a.item_notes[(item_id, sample)]
        answers.append(entry)
    doc = {
        "format": FORMAT,
        "exported_at": now(),
        "assessment": {"uuid": a.uuid, "status": a.status, "created_at": a.created_at,
                       "updated_at": a.updated_at, "server_rev": a.server_rev, "notes": a.notes},
        "template": {"id": template.id, "version": template.version, "hash": template.hash},
        "template_snapshot": template.body,
        "unit": a.unit,
        "visit_dates": a.visit_dates,
        "people": {"inspectors": [str(p) for p in a.inspectors]},
        "samples": a.samples,
        **({"samples_absent": a.samples_absent} if a.samples_absent else {}),
        "answers": answers,
        "findings": [{"uuid": f["uuid"], "item": f["item_id"], "sample": f["sample"] or 0,
                      "text": f["text"], "action": f["action"] or "",
                      "responsible": f["responsible"] or "", "due_date": f["due_date"] or "",
                      "status": f["status"] or "open"} for f in a.findings],
        "evidence": [{"sha256": e["sha256"], "item": e["item_id"], "sample": e["sample"],
                      "caption": e["caption"] or "", "mime": e["mime"], "width": e["width"],
                      "height": e["height"], "size": e["size"], "taken_at": e["taken_at"],
                      "gps": ({"lat": e["gps_lat"], "lon": e["gps_lon"]}
                              if e["gps_lat"] is not None else None),
                      "original_name": e["original_name"]} for e in a.evidence],
        "signatures": [{"role": s["role"], "name": s["name"], "title": s["title"] or "",
                        "signed_at": s["signed_at"], "sha256": s["sha256"]} for s in a.signatures],
        "history": {"seq": a.history_seq, "head": a.history_head},
        "score": result.summary(),
    }
    reports = store.exported_reports(uuid) if hasattr(store, "exported_reports") else []
    if reports:
        doc["reports"] = reports
    doc["content_hash"] = content_hash(doc)
    return doc


def referenced_blobs(doc: dict) -> list[str]:
    """Every file the document needs: photos, drawn signatures and the signed report PDFs."""
    seen = []
    for entry in doc["evidence"] + doc["signatures"] + doc.get("reports", []):
        if entry["sha256"] not in seen:
            seen.append(entry["sha256"])
    return seen


def write_exchange(store, uuid: str, out: str | Path) -> dict:
    """Export to ``out``: ``.zip`` includes the evidence files, anything else is plain JSON."""
    out = Path(out)
    doc = export_document(store, uuid)
    text = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    if out.suffix.lower() == ".zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("assessment.json", text)
            for sha in referenced_blobs(doc):
                zf.writestr(f"evidence/{sha}", read_evidence(store.evidence_dir, sha),
                            compress_type=zipfile.ZIP_STORED)
        atomic_write(out, buf.getvalue())
    else:
        atomic_write(out, text)
    return doc


@dataclass
class ExchangeFile:
    doc: dict
    template: Template
    blobs: dict[str, bytes] = field(default_factory=dict)   # sha256 -> bytes (given in memory)
    zip_path: Path | None = None                            # the zip the members below are in
    members: dict[str, str] = field(default_factory=dict)   # sha256 -> member name (referenced)


_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _zip_error(name: str, exc: BaseException) -> ExchangeInvalid:
    if isinstance(exc, zipfile.BadZipFile):
        return ExchangeInvalid(_("{name}: not a readable ZIP archive (truncated or damaged)")
                               .format(name=name))
    return ExchangeInvalid(_("{name}: cannot be read: {error}").format(
        name=name, error=getattr(exc, "strerror", None) or exc))


def _check_members(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse encrypted members and compression methods other than stored/deflated up front,
    and archives with more members than a document can reference."""
    if len(zf.infolist()) > MAX_ZIP_MEMBERS:
        raise ExchangeInvalid(_("{name}: the archive has {count} members; an exchange file has "
                                "at most {limit}").format(name=name, count=len(zf.infolist()),
                                                          limit=MAX_ZIP_MEMBERS))
    for info in zf.infolist():
        if info.flag_bits & 0x1:
            raise ExchangeInvalid(_("{name}: {member} is encrypted; export the assessment again "
                                    "without a password").format(name=name, member=printable(
                                        info.filename)))
        if info.compress_type not in _ZIP_METHODS:
            raise ExchangeInvalid(_("{name}: {member} uses a compression method Assessor does not "
                                    "read (method {method})").format(
                name=name, member=printable(info.filename), method=info.compress_type))


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    """A member's bytes, counting the real (inflated) size while reading: a member that says
    it is small but inflates past ``limit`` is refused without being held in memory."""
    chunks, total = [], 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise ExchangeInvalid(_("{name}: {member} is larger than {limit} MB").format(
                        name=name, member=printable(info.filename), limit=f"{limit / 1048576:g}"))
                chunks.append(chunk)
    # zipfile raises NotImplementedError for a compression method it cannot read (and
    # RuntimeError for an encrypted member): a refused file like any other broken zip
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError,
            NotImplementedError) as exc:
        raise _zip_error(name, exc) from None
    return b"".join(chunks)


def _read_zip(path: Path) -> tuple[bytes, dict[str, str]]:
    """``assessment.json`` and the evidence members by hash (not read: only those the document
    references are, at import)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(zf, name)
            try:
                info = zf.getinfo("assessment.json")
            except KeyError:
                raise ExchangeInvalid(_("{name}: the archive has no assessment.json").format(
                    name=name)) from None
            raw = read_member(zf, info, MAX_JSON_BYTES, name)
            members = {}
            for info in zf.infolist():
                if info.filename.startswith("evidence/"):
                    members[info.filename.split("/", 1)[1]] = info.filename
            return raw, members
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, ValueError) as exc:
        raise _zip_error(name, exc) from None


def read_exchange(path: str | Path, *, template_lookup=None) -> ExchangeFile:
    """Read and fully validate an exchange file (JSON or ZIP). Raises ExchangeInvalid.

    ``template_lookup(id, version, hash)`` may supply the template when the file carries no
    snapshot (returns a Template or None). Photos in a zip are not read here."""
    path = Path(path)
    name = path.name
    members: dict[str, str] = {}
    try:
        info = path.stat()
    except OSError as exc:
        raise ExchangeInvalid(_("{name}: cannot be read: {error}").format(
            name=name, error=exc.strerror or exc)) from None
    if not stat.S_ISREG(info.st_mode):   # a folder, FIFO or device: refused before opening
        read_input(path, MAX_JSON_BYTES, label=name, error=ExchangeInvalid)
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic.startswith(b"PK"):
        raw, members = _read_zip(path)
    else:
        raw = read_input(path, MAX_JSON_BYTES, label=name, error=ExchangeInvalid)
    ex = parse_exchange(raw, name, template_lookup=template_lookup)
    referenced = set(referenced_blobs(ex.doc))
    ex.members = {sha: member for sha, member in members.items() if sha in referenced}
    ex.zip_path = path if magic.startswith(b"PK") else None
    return ex


def parse_exchange(raw: bytes, name: str = "document", *, blobs=None, template_lookup=None) -> ExchangeFile:
    """Validate exchange bytes: JSON, schema, content hash, template, answers and score."""
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except _NonFinite as exc:
        raise ExchangeInvalid(_("{name}: {value} is not a number; exchange files carry finite "
                                "numbers only").format(name=name, value=exc.args[0])) from None
    except UnicodeDecodeError as exc:
        raise ExchangeInvalid(_("{name}: not UTF-8 text (byte {position})").format(
            name=name, position=exc.start)) from None
    except json.JSONDecodeError as exc:
        raise ExchangeInvalid(_("{name}: not valid JSON (line {line}, column {column}: {error}); "
                                "the file may be truncated").format(
            name=name, line=exc.lineno, column=exc.colno, error=exc.msg)) from None
    except RecursionError:
        raise ExchangeInvalid(_("{name}: JSON nested too deeply").format(name=name)) from None
    except ValueError as exc:       # e.g. an integer of more than 4,300 digits
        raise ExchangeInvalid(_("{name}: not valid JSON ({error})").format(
            name=name, error=str(exc)[:120])) from None
    if not isinstance(doc, dict):
        raise ExchangeInvalid(_("{name}: an exchange document is a JSON object").format(name=name))
    check_values(doc, name, error=ExchangeInvalid)
    errors = sorted(jsonschema.Draft202012Validator(exchange_schema()).iter_errors(doc),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path)
        msg = first.message if len(first.message) < 200 else first.message[:200] + "..."
        where = where.lstrip(".") or _("document")
        if len(errors) > 1:
            raise ExchangeInvalid(_("{name}: {where}: {problem} (and {count} more problems)").format(
                name=name, where=where, problem=msg, count=len(errors) - 1))
        raise ExchangeInvalid(f"{name}: {where}: {msg}")
    if content_hash(doc) != doc["content_hash"]:
        raise ExchangeInvalid(_("{name}: the content does not match its content_hash: the file was "
                                "changed after export or is damaged").format(name=name))
    template = _exchange_template(doc, name, template_lookup)
    _check_answers(doc, template, name)
    return ExchangeFile(doc, template, dict(blobs or {}))


class _NonFinite(ValueError):
    pass


def _no_constant(value: str):
    raise _NonFinite(value)


def _exchange_template(doc: dict, name: str, lookup) -> Template:
    ref = doc["template"]
    snapshot = doc.get("template_snapshot")
    if snapshot is not None:
        if body_hash(snapshot) != ref["hash"]:
            raise ExchangeInvalid(_("{name}: the embedded template does not match template.hash")
                                  .format(name=name))
        try:
            template = build_template(snapshot, _("{name} (embedded template)").format(name=name))
        except TemplateInvalid as exc:
            raise ExchangeInvalid(_("{name}: the embedded template is invalid: {error}").format(
                name=name, error=exc)) from None
    else:
        template = lookup(ref["id"], ref["version"], ref["hash"]) if lookup else None
        if template is None:
            raise ExchangeInvalid(_("{name}: template {template} {version} ({hash}) is not "
                                    "installed and not embedded").format(
                name=name, template=ref["id"], version=ref["version"], hash=ref["hash"][:12]))
    if (template.id, template.version) != (ref["id"], ref["version"]):
        raise ExchangeInvalid(_("{name}: template id/version do not match the embedded template")
                              .format(name=name))
    return template


def _check_answers(doc: dict, template: Template, name: str) -> None:
    groups = {g.id: g for g in template.sample_groups()}
    for gid, labels in doc["samples"].items():
        spec = groups.get(gid)
        if spec is None:
            raise ExchangeInvalid(_("{name}: samples.{group}: no such sample group in the "
                                    "template").format(name=name, group=gid))
        if not spec.sample.min <= len(labels) <= spec.sample.max:
            raise ExchangeInvalid(_("{name}: samples.{group}: {count} samples, the template allows "
                                    "{min}-{max}").format(name=name, group=gid, count=len(labels),
                                                          min=spec.sample.min, max=spec.sample.max))
    for gid, reasons in (doc.get("samples_absent") or {}).items():
        if len(reasons) > len(doc["samples"].get(gid, [])):
            raise ExchangeInvalid(_("{name}: samples_absent.{group}: more samples not available "
                                    "than samples").format(name=name, group=gid))
    seen = set()
    for i, entry in enumerate(doc["answers"]):
        item = template.items.get(entry["item"])
        where = f"{name}: answers[{i}]"
        if item is None:
            raise ExchangeInvalid(_("{where}: unknown item {item}").format(
                where=where, item=repr(entry["item"])))
        count = len(doc["samples"].get(item.sample_group, [])) if item.sample_group else 1
        if entry["sample"] >= count:
            raise ExchangeInvalid(_("{where}: sample {sample} does not exist for {item}").format(
                where=where, sample=entry["sample"], item=item.id))
        key = (entry["item"], entry["sample"])
        if key in seen:
            raise ExchangeInvalid(_("{where}: {item} sample {sample} is answered twice").format(
                where=where, item=item.id, sample=entry["sample"]))
        seen.add(key)
        if entry.get("value") is not None:
            try:
                validate_answer(item, entry["value"])
            except AnswerInvalid as exc:
                raise ExchangeInvalid(f"{where}: {exc}") from None
    ids = [f["uuid"] for f in doc["findings"]]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise ExchangeInvalid(_("{name}: finding {finding} appears twice").format(
            name=name, finding=printable(twice)[:40]))
    roles = [sig["role"] for sig in doc["signatures"]]
    if len(set(roles)) != len(roles):
        twice = next(r for r in roles if roles.count(r) > 1)
        raise ExchangeInvalid(_("{name}: the {role} signature appears twice").format(
            name=name, role=twice))
    for i, f in enumerate(doc["findings"]):
        try:
            check_finding({k: f[k] for k in ("due_date",) if k in f})
        except UserError as exc:
            raise ExchangeInvalid(f"{name}: findings[{i}]: {exc}") from None
    try:
        check_unit(doc["unit"])
        check_visit_dates(doc.get("visit_dates", []))
    except UserError as exc:
        raise ExchangeInvalid(f"{name}: {exc}") from None
    for i, ev in enumerate(doc["evidence"]):
        if ev["item"] not in template.items:
            raise ExchangeInvalid(_("{where}: unknown item {item}").format(
                where=f"{name}: evidence[{i}]", item=repr(ev["item"])))


def sheet_of(doc: dict) -> AnswerSheet:
    answers = {(a["item"], a["sample"]): a["value"] for a in doc["answers"] if a.get("value") is not None}
    evidence: dict = {}
    for ev in doc["evidence"]:
        key = (ev["item"], ev["sample"])
        evidence[key] = evidence.get(key, 0) + 1
    return AnswerSheet(answers, counted_samples(doc["samples"], doc.get("samples_absent")),
                       evidence)


def rescore(ex: ExchangeFile):
    """Score the document's answers with the engine (independent of its stored summary)."""
    return score_sheet(ex.template, sheet_of(ex.doc))


def import_exchange(store, path: str | Path, *, allow_missing_evidence: bool = False) -> tuple[str, bool]:
    """Import an exchange file into ``store`` in one transaction. Returns ``(uuid, created)``;
    importing the same content again is a no-op (created False). Nothing is written when the
    file is refused."""
    ex = read_exchange(path, template_lookup=lambda i, v, h: _lookup(store, h))
    return import_document(store, ex, name=Path(path).name,
                           allow_missing_evidence=allow_missing_evidence)


def _lookup(store, digest: str):
    try:
        return store.template_by_hash(digest)
    except Exception:  # noqa: BLE001 - unknown template is reported by the caller
        return None


def import_document(store, ex: ExchangeFile, *, name: str = "document",
                    allow_missing_evidence: bool = False) -> tuple[str, bool]:
    doc = ex.doc
    uid = doc["assessment"]["uuid"]
    result = rescore(ex)
    claimed = doc["score"].get("total")
    actual = float(result.total) if result.total is not None else None
    if claimed != actual:
        raise ExchangeInvalid(_("{name}: the file says the score is {claimed} but its answers give "
                                "{actual}: the file is inconsistent").format(
            name=name, claimed=claimed, actual=actual))
    existing = store.conn.execute("SELECT history_head FROM assessments WHERE uuid=?", (uid,)).fetchone()
    if existing is not None:
        seen = store.conn.execute(
            "SELECT 1 FROM history WHERE assessment=? AND action='import' AND new LIKE ?",
            (uid, f'%"content_hash":"{doc["content_hash"]}"%')).fetchone()
        if seen or export_document(store, uid)["content_hash"] == doc["content_hash"]:
            return uid, False
        raise ExchangeInvalid(_("{name}: assessment {uuid} already exists here with different "
                                "content; it was not overwritten").format(name=name, uuid=uid[:8]))
    installed = store.conn.execute("SELECT hash FROM templates WHERE id=? AND version=?",
                                   (ex.template.id, ex.template.version)).fetchone()
    if installed and installed[0] != ex.template.hash:
        raise ExchangeInvalid(_("{name}: its template {template} {version} differs from the one "
                                "installed here under the same id and version; it was not "
                                "imported").format(name=name, template=printable(ex.template.id),
                                                   version=printable(ex.template.version)))
    missing = [s for s in referenced_blobs(doc) if s not in ex.blobs and s not in ex.members
               and not has_evidence(store.evidence_dir, s)]
    if missing and not allow_missing_evidence:
        raise ExchangeInvalid(_("{name}: {count} photo/signature file(s) are not in the file nor in "
                                "this data folder (first: {first}); import the .zip export "
                                "instead").format(name=name, count=len(missing),
                                                  first=missing[0][:12]))
    written: list[str] = []
    try:
        _store_blobs(store, ex, name, written)
        _insert(store, ex, name)
    except BaseException:
        for sha in written:                      # no photo of a refused import stays behind
            with contextlib.suppress(OSError, ValueError):
                remove_evidence(store.evidence_dir, sha)
        raise
    return uid, True


def _store_blobs(store, ex: ExchangeFile, name: str, written: list[str]) -> None:
    """Check and store the photos and signatures the document references, one at a time:
    each is read with its real size capped, hash-checked, and checked as an image like a photo
    added on this laptop. Hashes written here are appended to ``written``."""
    kinds = {e["sha256"]: "photo" for e in ex.doc["evidence"]}
    kinds.update({sig["sha256"]: "signature" for sig in ex.doc["signatures"]})
    todo = [sha for sha in referenced_blobs(ex.doc)
            if (sha in ex.blobs or sha in ex.members) and not has_evidence(store.evidence_dir, sha)]
    if not todo:
        return
    zf = zipfile.ZipFile(ex.zip_path) if ex.members else None
    try:
        for sha in todo:
            if sha in ex.blobs:
                data = ex.blobs[sha]
            else:
                data = read_member(zf, zf.getinfo(ex.members[sha]), MAX_ZIP_MEMBER, name)
            label = f"{name}: evidence/{sha[:12]}"
            if hashlib.sha256(data).hexdigest() != sha:
                raise ExchangeInvalid(_("{name}: {member} is damaged (its content does not match "
                                        "its hash)").format(name=name, member=f"evidence/{sha}"))
            try:
                check_evidence_bytes(data, kinds.get(sha, "photo"), label)
            except EvidenceRejected as exc:
                raise ExchangeInvalid(str(exc)) from None
            store_blob(store.evidence_dir, data, sha)
            written.append(sha)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _zip_error(name, exc) from None
    finally:
        if zf is not None:
            zf.close()


def _insert(store, ex: ExchangeFile, name: str) -> None:
    """A file import: the rows, and a record of what nothing vouches for (a file can be edited
    by hand; the server and signed reports are the sources that verify status and signatures)."""
    doc = ex.doc
    with store.transaction() as c:
        insert_rows(store, c, ex, name)
        if doc["assessment"]["status"] != "draft" or doc["signatures"]:
            c.execute("INSERT OR REPLACE INTO unverified_imports(assessment, source, status,"
                      " signatures, at) VALUES(?,?,?,?,?)",
                      (doc["assessment"]["uuid"], name, doc["assessment"]["status"],
                       dumps([sig["role"] for sig in doc["signatures"]]), now()))


def insert_rows(store, c, ex: ExchangeFile, name: str) -> None:
    """Insert the document's rows inside the caller's transaction ``c`` (see :func:`_insert`)."""
    doc, t = ex.doc, ex.template
    a = doc["assessment"]
    uid = a["uuid"]
    unit = dict(doc["unit"])
    extra = {k: v for k, v in unit.items() if k not in ("agency", "unit", "address")}
    at = now()
    c.execute("INSERT OR IGNORE INTO template_snapshots(hash, body) VALUES(?, ?)",
              (t.hash, canonical_json(t.body)))
    c.execute("INSERT INTO assessments(uuid, template_id, template_version, template_hash, status,"
              " agency, unit, address, unit_extra, visit_dates, inspectors, samples, notes,"
              " created_at, updated_at, created_by, score_dirty, history_seq, history_head,"
              " server_rev, samples_absent) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,0,'',?,?)",
              (uid, t.id, t.version, t.hash, a["status"], unit.get("agency", ""), unit["unit"],
               unit.get("address", ""), dumps(extra), dumps(doc.get("visit_dates", [])),
               dumps(doc["people"]["inspectors"]), dumps(doc["samples"]), a.get("notes", ""),
               a["created_at"], a["updated_at"], a.get("created_by", ""), a.get("server_rev", 0),
               dumps(doc.get("samples_absent") or {})))
    insert_children(c, uid, doc, at)
    new = {"from": name, "content_hash": doc["content_hash"], "source_history": doc["history"]}
    digest = entry_hash(uid, 1, at, store.actor, "import", "assessment", "null", dumps(new), "")
    c.execute("INSERT INTO history(assessment, seq, at, actor, action, target, old, new, prev, hash)"
              " VALUES(?,?,?,?,?,?,?,?,?,?)", (uid, 1, at, store.actor, "import", "assessment",
                                                "null", dumps(new), "", digest))
    c.execute("UPDATE assessments SET history_seq=1, history_head=? WHERE uuid=?", (digest, uid))


def insert_children(c, uid: str, doc: dict, at: str) -> None:
    """Insert a document's answers, findings, evidence links and signatures for ``uid``."""
    a = doc["assessment"]
    for ans in doc["answers"]:
        c.execute("INSERT INTO answers(assessment, item_id, sample, value, note, updated_at)"
                  " VALUES(?,?,?,?,?,?)", (uid, ans["item"], ans["sample"],
                                           dumps(ans["value"]) if ans.get("value") is not None else None,
                                           ans.get("note", ""), a["updated_at"]))
    for f in doc["findings"]:
        c.execute("INSERT INTO findings(uuid, assessment, item_id, sample, text, action, responsible,"
                  " due_date, status, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                  (f["uuid"], uid, f.get("item"), f.get("sample", 0), f["text"], f.get("action", ""),
                   f.get("responsible", ""), f.get("due_date", ""), f.get("status", "open"), at, at))
    for ev in doc["evidence"]:
        _evidence_row(c, ev.get("mime", "image/jpeg"), ev, at)
        c.execute("INSERT INTO evidence_links(assessment, item_id, sample, sha256, caption, created_at)"
                  " VALUES(?,?,?,?,?,?)", (uid, ev["item"], ev["sample"], ev["sha256"],
                                           ev.get("caption", ""), at))
    for s in doc["signatures"]:
        _evidence_row(c, "image/png", {"sha256": s["sha256"], "kind": "signature"}, at)
        c.execute("INSERT INTO signatures(assessment, role, name, title, signed_at, sha256)"
                  " VALUES(?,?,?,?,?,?)", (uid, s["role"], s["name"], s.get("title", ""),
                                           s["signed_at"], s["sha256"]))


def _evidence_row(c, mime: str, ev: dict, at: str) -> None:
    gps = ev.get("gps") or {}
    c.execute("INSERT OR IGNORE INTO evidence(sha256, kind, mime, width, height, size, taken_at,"
              " gps_lat, gps_lon, original_name, imported_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
              (ev["sha256"], ev.get("kind", "photo" if mime == "image/jpeg" else "signature"), mime,
               ev.get("width"), ev.get("height"), ev.get("size"), ev.get("taken_at"),
               gps.get("lat"), gps.get("lon"), ev.get("original_name"), at))


__all__ = ["export_document", "write_exchange", "read_exchange", "parse_exchange",
           "import_exchange", "import_document", "rescore", "sheet_of", "content_hash",
           "evidence_path", "ExchangeFile"]
