"""The laptop's copy of the office register: rounds and the governments (with their units) of
this device's team, pulled by sync (change kinds ``round`` and ``government``), and the local
summary of results by round and government that the Results page shows and exports.

Assessments refer to a register unit through ``unit_id`` and ``round_id`` in their unit
details (kept in ``unit_extra``); an assessment typed offline without them is listed as free
text, for the office to match later (``assessor-server match``)."""

from __future__ import annotations

from decimal import Decimal

from .. import results as R
from ..i18n import N_
from .base import dumps, loads, now

SUMMARY_COLUMNS = (N_("Round"), N_("Government"), N_("Category"), N_("Province"), N_("Units"),
                   N_("Assessments"), N_("Approved"), N_("Score"), N_("Grade"))


class RegisterMixin:
    def _apply_register_change(self, c, kind: str, data: dict) -> bool:
        """Store a pulled ``round`` or ``government`` (inside apply_changes' transaction)."""
        if kind == "round":
            c.execute("INSERT INTO register_rounds(id, name, template_id, template_version, state,"
                      " received_at) VALUES(?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                      " name=excluded.name, state=excluded.state, template_id=excluded.template_id,"
                      " template_version=excluded.template_version, received_at=excluded.received_at",
                      (data["id"], data["name"], data["template_id"], data["template_version"],
                       data["state"], now()))
            return True
        if kind == "government":
            c.execute("INSERT INTO register_governments(id, name, category, province, team, units,"
                      " received_at) VALUES(?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                      " name=excluded.name, category=excluded.category, province=excluded.province,"
                      " team=excluded.team, units=excluded.units, received_at=excluded.received_at",
                      (data["id"], data["name"], data["category"], data.get("province", ""),
                       data.get("team", ""), dumps(data.get("units", [])), now()))
            return True
        return False

    def list_rounds(self) -> list[dict]:
        """Rounds pulled from the server, newest first."""
        return [dict(r) for r in self.db.query(
            "SELECT id, name, template_id, template_version, state FROM register_rounds "
            "ORDER BY name DESC")]

    def register_units(self) -> list[dict]:
        """Every unit of the pulled register: ``{unit_id, unit, address, government_id,
        government, category, province}``, by government then unit name."""
        out = []
        for g in self.db.query("SELECT * FROM register_governments ORDER BY name"):
            for u in loads(g["units"], []):
                out.append({"unit_id": u["id"], "unit": u["name"], "address": u.get("address", ""),
                            "government_id": g["id"], "government": g["name"],
                            "category": g["category"], "province": g["province"]})
        return out

    def local_results(self) -> list[dict]:
        """This laptop's work by round and government (only approved work gives a score, as on
        the server; figures from :func:`assessor_app.results.compute`), plus free-text work."""
        govs = [R.Government(g["id"], g["name"], g["category"], g["province"], g["team"])
                for g in self.db.query("SELECT * FROM register_governments")]
        units = [R.Unit(u["unit_id"], u["unit"], u["government_id"]) for u in self.register_units()]
        by_round: dict[str, list[R.Assessment]] = {}
        free = 0
        for uuid, status, score, extra, updated in self.conn.execute(
                "SELECT uuid, status, score, unit_extra, updated_at FROM assessments"):
            ref = loads(extra, {}) or {}
            if not ref.get("unit_id") or not ref.get("round_id"):
                free += 1
                continue
            total = Decimal(str(score)).quantize(Decimal("0.01")) if score is not None else None
            by_round.setdefault(ref["round_id"], []).append(
                R.Assessment(uuid, ref["unit_id"], status, total, updated))
        names = {r["id"]: r for r in self.list_rounds()}
        rows = []
        for round_id, assessments in sorted(by_round.items()):
            info = names.get(round_id, {"name": round_id, "template_id": None})
            bands = self._round_bands(info)
            mine = {a.unit_id for a in assessments}
            res = R.compute(govs, units, assessments, bands)
            for g in res.by_category():
                if not any(u.unit.id in mine for u in g.units):
                    continue
                rows.append({"round": info["name"], "round_id": round_id,
                             "government": g.government.name, "category": g.government.category,
                             "province": g.government.province, "units": len(g.units),
                             "assessments": sum(1 + len(u.others) for u in g.units if u.uuid),
                             "approved": g.scored_units, "score": g.score,
                             "grade": g.band.id if g.band else None,
                             "zone": g.band.zone if g.band else None})
        if free:
            rows.append({"round": "", "round_id": None, "government": None, "category": "",
                         "province": "", "units": 0, "assessments": free, "approved": 0,
                         "score": None, "grade": None, "zone": None})
        return rows

    def _round_bands(self, info: dict) -> list:
        if not info.get("template_id"):
            return []
        try:
            return R.bands_of(self.get_template(info["template_id"], info["template_version"]))
        except Exception:  # noqa: BLE001 - the round's template is not installed here
            return []


def summary_rows(rows: list[dict]) -> list[list]:
    """Rows for the CSV/XLSX export in SUMMARY_COLUMNS order."""
    return [[r["round"], r["government"] or "", r["category"], r["province"], r["units"],
             r["assessments"], r["approved"], float(r["score"]) if r["score"] is not None else None,
             r["grade"]] for r in rows]

