"""``assessor-server demo-round``: a synthetic national round for tests, demos and benchmarks.

Governments in the reference's proportions (25 ministries, 14 agencies, 34 provinces, 98 cities,
415 regencies for 586), each with a quality drawn around 0.75 (a realistic spread: a few red, most
yellow and green), units varying around it, answers drawn per item by
:func:`assessor_app.demo._answer_for`, scored by the one scoring engine, stored as valid exchange
documents, most approved (the rest submitted, returned or missing). Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import uuid as uuidlib

import sqlalchemy as sa

from ..demo import _answer_for
from ..errors import UserError
from ..exchange import FORMAT, content_hash
from ..paths import resource
from ..scoring import AnswerSheet, score
from ..templates.loader import load_template
from . import db, register

PROVINCES = ["Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan",
             "Bengkulu", "Lampung", "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta",
             "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Banten", "Bali",
             "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
             "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
             "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara",
             "Gorontalo", "Sulawesi Barat", "Maluku", "Maluku Utara", "Papua Barat", "Papua"]
MIX = [("Kementerian", 25), ("Lembaga", 14), ("Pemerintah Provinsi", 34), ("Pemerintah Kota", 98),
       ("Pemerintah Kabupaten", 415)]
UNIT_NAMES = ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP",
              "Dinas Kesehatan", "Dinas Pendidikan", "RSUD", "Dinas Sosial"]
CENTRAL = "Pusat"
NAMES = {"Kementerian": "Kementerian {n}", "Lembaga": "Lembaga {n}",
         "Pemerintah Provinsi": "Provinsi {p}", "Pemerintah Kota": "Kota {p} {n}",
         "Pemerintah Kabupaten": "Kabupaten {p} {n}"}


CODES = {"Kementerian": "KEM", "Lembaga": "LEM", "Pemerintah Provinsi": "PROV",
         "Pemerintah Kota": "KOTA", "Pemerintah Kabupaten": "KAB"}


def _mix(count: int) -> list[tuple[str, int]]:
    """``count`` governments in the reference's proportions: ``[(category, k-th of it)]``."""
    total = sum(n for _, n in MIX)
    out = []
    for cat, n in MIX:
        out += [(cat, k) for k in range(max(1, round(n * count / total)))]
    out = out[:count]
    extra = sum(1 for c, _k in out if c == "Pemerintah Kabupaten")
    return out + [("Pemerintah Kabupaten", extra + i) for i in range(count - len(out))]


def _government(cat: str, k: int) -> tuple[str, str, str]:
    """The k-th government of a category: the same id, name and province in every demo round
    (so rounds made with --previous compare the same governments)."""
    prov = PROVINCES[k % len(PROVINCES)]
    n = k // len(PROVINCES) + 1
    name = NAMES[cat].format(p=prov, n=n if cat != "Pemerintah Provinsi" or n > 1 else "").strip() \
        if cat not in ("Kementerian", "Lembaga") else NAMES[cat].format(p=prov, n=k + 1)
    return f"{CODES[cat]}-{k + 1:03d}", name, prov


def demo_round(database: db.Database, name: str, governments: int = 586, units_per: int = 4,
               *, seed: int = 2022, approved_share: float = 0.97, template_path=None,
               previous: str | None = None, register_only: bool = False) -> dict:
    """Create round ``name`` with a synthetic register and assessments; returns counts."""
    if governments < 1 or units_per < 1:
        raise UserError("--governments and --units-per-government must be at least 1")
    rnd = random.Random(seed)
    template = load_template(template_path or resource("templates", "ori_penilaian_2022.yaml"))
    from .admin import Admin
    admin = Admin(database)
    admin.publish_template(template_path or resource("templates", "ori_penilaian_2022.yaml"))
    round_id = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in name).strip("-")[:100] \
        or "round"
    register.add_round(database, round_id, name, template.id, template.version, previous=previous)
    govs, units = [], []
    for cat, k in _mix(governments):
        gid, name, prov = _government(cat, k)
        team = CENTRAL if cat in ("Kementerian", "Lembaga") else f"Perwakilan {prov}"
        govs.append({"id": gid, "name": name, "category": cat,
                     "province": "" if team == CENTRAL else prov, "team": team})
        for u in range(units_per):
            units.append({"id": f"{gid}-U{u + 1}", "government_id": gid,
                          "name": UNIT_NAMES[u % len(UNIT_NAMES)] + ("" if u < len(UNIT_NAMES) else f" {u + 1}"),
                          "address": f"Jl. Pelayanan No. {u + 1}, {prov}"})
    register.save_register(database, govs, units)
    users = {}
    for team in sorted({g["team"] for g in govs}):
        uname = f"demo-{team.lower().replace(' ', '-')}"
        if not any(u["name"] == uname for u in admin.list_users()):
            admin.add_user(uname, "inspector", team)
        users[team] = admin.caller(uname).user_id
    if register_only:
        return {"round": round_id, "governments": len(govs), "units": len(units), "assessments": 0}
    body = template.body
    groups = {s.id: s.sample.default for s in template.walk_sections() if s.sample}
    team_of = {g["id"]: g["team"] for g in govs}
    quality = {g["id"]: min(0.99, max(0.2, rnd.gauss(0.78, 0.12))) for g in govs}
    made = 0
    batch: list[dict] = []
    for u in units:
        draw = rnd.random()
        if draw > approved_share + (1 - approved_share) / 2:
            continue                                     # missing: never visited
        status = "approved" if draw <= approved_share else rnd.choice(["submitted", "returned"])
        q = min(1.0, max(0.05, rnd.gauss(quality[u["government_id"]], 0.06)))
        batch.append(_document(template, body, groups, u, round_id, status, q, rnd)
                     | {"owner_id": users[team_of[u["government_id"]]],
                        "team": team_of[u["government_id"]]})
        if len(batch) >= 100:
            made += _store(database, batch)
            batch = []
    made += _store(database, batch)
    return {"round": round_id, "governments": len(govs), "units": len(units), "assessments": made}


def _document(template, body, groups, unit, round_id, status, q, rnd) -> dict:
    uid = str(uuidlib.UUID(int=rnd.getrandbits(128), version=4))
    answers = {}
    for item in template.walk_items():
        n = groups.get(item.sample_group, 1) if item.sample_group else 1
        for s in range(n):
            v = _answer_for(item, rnd, q)
            if v is not None:
                answers[(item.id, s)] = v
    samples = {g: [f"{g} {i + 1}" for i in range(n)] for g, n in groups.items()}
    result = score(template, AnswerSheet(answers, {g: n for g, n in groups.items()}))
    at = db.now()
    doc = {"format": FORMAT, "exported_at": at,
           "assessment": {"uuid": uid, "status": status, "created_at": at, "updated_at": at,
                          "server_rev": 1, "notes": ""},
           "template": {"id": template.id, "version": template.version, "hash": template.hash},
           "template_snapshot": body,
           "unit": {"unit": unit["name"], "address": unit["address"], "unit_id": unit["id"],
                    "round_id": round_id},
           "visit_dates": ["2026-09-01"], "people": {"inspectors": ["Demo"]}, "samples": samples,
           "answers": [{"item": i, "sample": s, "value": v} for (i, s), v in sorted(answers.items())],
           "findings": [], "evidence": [], "signatures": [], "history": {"seq": 0, "head": ""},
           "score": result.summary()}
    doc["content_hash"] = content_hash(doc)
    return {"uuid": uid, "status": status, "doc": json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
            "hash": doc["content_hash"], "unit_id": unit["id"], "round_id": round_id,
            "facts": register.facts_of(result), "template_id": template.id,
            "template_version": template.version, "unit": unit["name"]}


def _store(database: db.Database, batch: list[dict]) -> int:
    if not batch:
        return 0
    at = db.now()
    with database.write() as conn:
        conn.execute(sa.insert(db.assessments), [
            {"uuid": b["uuid"], "owner_id": b["owner_id"], "rev": 1, "status": b["status"],
             "content_hash": b["hash"], "doc": b["doc"], "flags": "[]",
             "template_id": b["template_id"], "template_version": b["template_version"],
             "unit": b["unit"], "evidence_count": 0, "updated_at": at, "unit_id": b["unit_id"],
             "round_id": b["round_id"]} for b in batch])
        conn.execute(sa.insert(db.assessment_facts),
                     [{"uuid": b["uuid"], "facts": b["facts"]} for b in batch])
        conn.execute(sa.insert(db.revisions), [
            {"uuid": b["uuid"], "rev": 1, "base_rev": 0, "sent_hash": b["hash"],
             "content_hash": b["hash"], "device_id": "demo", "doc": b["doc"], "answer": "{}", "at": at}
            for b in batch])
        for b in batch:
            db.record_change(conn, "assessment", b["uuid"], b["owner_id"], b["team"])
    return len(batch)
