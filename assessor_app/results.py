"""The results of a round: pure aggregation of approved assessments into government scores,
zones or grades, ranks inside each category, counts, trends, dimensions and shortfalls.

Plain data in, plain data out, like :mod:`assessor_app.scoring`: the server (web pages,
``assessor-server results``, exports, the government report) and the laptop's Results page all
call :func:`compute`, so no two places can disagree about a figure. The rules (also in
docs/results.md; the aggregation is a *reconstruction*, no source publishes it):

* A **unit's score** is the total of its approved assessment in the round (several products or
  samples are already averaged inside it). When a unit has several approved assessments in the
  round the most recently updated counts; the others are listed but not counted.
* A **government's score** follows the round's ``rule``: ``mean`` (default) is the plain mean of
  its units' scores, ``median`` their median. Units without an approved assessment are left out
  and counted as missing; a government with fewer than ``min_units`` scored units gets no score
  and no rank. Arithmetic is exact; the score is rounded once, half-up to two decimals.
* The **zone or grade** is looked up on the rounded score in the template's bands.
* The **rank** is inside the category, on the rounded score, highest first; equal scores share a
  rank and the next rank skips (1, 2, 2, 4: "standard competition ranking").
* The **change** is the rounded score minus the same government's rounded score in the previous
  round (None when either is missing).

Issue 11 (corrective actions) adds a compliance variable and each government's open actions:
:class:`GovernmentResult` keeps ``open_actions`` for it (None = not known yet).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from statistics import median
from typing import Iterable, Mapping, Sequence

from .scoring import to_decimal

RULES = ("mean", "median")


@dataclass(frozen=True)
class Unit:
    """A service unit in the register: ``id`` is its register id."""
    id: str
    name: str
    government_id: str


@dataclass(frozen=True)
class Government:
    id: str
    name: str
    category: str
    province: str = ""
    team: str = ""


@dataclass(frozen=True)
class Assessment:
    """What results need from one assessment: its unit, status and score facts.

    ``sections`` maps a top-level section (dimension) id to its 0-100 score; ``failed`` and
    ``scored`` are the item ids that were failed (ratio < 1) and scored (had a ratio)."""
    uuid: str
    unit_id: str
    status: str
    total: Decimal | None
    updated_at: str = ""
    sections: Mapping[str, Decimal | None] = field(default_factory=dict)
    failed: tuple[str, ...] = ()
    scored: tuple[str, ...] = ()


@dataclass(frozen=True)
class BandInfo:
    """A zone or grade band (the template's bands, plain)."""
    id: str
    min: Decimal
    max: Decimal
    zone: str
    colour: str = ""
    label: str = ""

    def contains(self, score: Decimal) -> bool:
        return self.min <= score <= self.max


@dataclass
class UnitResult:
    unit: Unit
    uuid: str | None              # the counted assessment
    score: Decimal | None
    status: str                   # of the counted (or latest) assessment; "missing" when none
    sections: Mapping[str, Decimal | None] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)   # other assessments of the unit in the round


@dataclass
class GovernmentResult:
    government: Government
    units: list[UnitResult]
    score: Decimal | None
    band: BandInfo | None
    rank: int | None = None
    of: int = 0                   # how many governments of the category are ranked
    previous: Decimal | None = None
    change: Decimal | None = None
    dimensions: dict[str, Decimal | None] = field(default_factory=dict)
    shortfalls: list["Shortfall"] = field(default_factory=list)
    open_actions: int | None = None    # issue 11 fills this in

    @property
    def scored_units(self) -> int:
        return sum(1 for u in self.units if u.score is not None)

    @property
    def missing_units(self) -> int:
        return len(self.units) - self.scored_units

    def row(self) -> dict:
        """The JSON row ``assessor-server results --json`` prints (and exports read)."""
        g = self.government
        return {"government": g.name, "id": g.id, "category": g.category, "province": g.province,
                "score": _f(self.score), "band": self.band.id if self.band else None,
                "zone": self.band.zone if self.band else None, "rank": self.rank, "of": self.of,
                "change": _f(self.change), "units_scored": self.scored_units,
                "units_missing": self.missing_units,
                "units": [{"unit": u.unit.name, "id": u.unit.id, "uuid": u.uuid,
                           "score": _f(u.score)} for u in self.units]}


@dataclass
class Shortfall:
    """An indicator failed in ``failed`` of the ``scored`` assessments that scored it."""
    item: str
    failed: int
    scored: int

    @property
    def rate(self) -> Fraction:
        return Fraction(self.failed, self.scored) if self.scored else Fraction(0)


@dataclass
class RoundResults:
    governments: list[GovernmentResult]
    bands: list[BandInfo]
    rule: str
    counts: dict = field(default_factory=dict)
    dimensions: dict[str, Decimal | None] = field(default_factory=dict)
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def units_total(self) -> int:
        return sum(len(g.units) for g in self.governments)

    @property
    def units_missing(self) -> int:
        return sum(g.missing_units for g in self.governments)

    def by_category(self, category: str | None = None) -> list[GovernmentResult]:
        """Governments of ``category`` (all when None), ranked first by rank then by name."""
        rows = [g for g in self.governments if category in (None, g.government.category)]
        return sorted(rows, key=lambda g: (g.government.category, g.rank is None, g.rank or 0,
                                           g.government.name))

    def categories(self) -> list[str]:
        return sorted({g.government.category for g in self.governments})

    def provinces(self) -> list[str]:
        return sorted({g.government.province for g in self.governments if g.government.province})

    def government(self, gov_id: str) -> GovernmentResult | None:
        return next((g for g in self.governments if g.government.id == gov_id), None)


def _f(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _exact(value: Decimal) -> Fraction:
    return Fraction(value)


def band_for(bands: Sequence[BandInfo], score: Decimal | None) -> BandInfo | None:
    if score is None:
        return None
    return next((b for b in bands if b.contains(score)), None)


def bands_of(template) -> list[BandInfo]:
    """The template's bands as plain :class:`BandInfo` (label in the current language left to
    the caller: ``label`` holds the English text)."""
    return [BandInfo(b.id, b.min, b.max, b.zone, b.colour, b.label.get("en")) for b in template.bands]


def aggregate(scores: Iterable[Decimal], rule: str = "mean") -> Decimal | None:
    """The government score from its units' scores under ``rule`` (exact, rounded once)."""
    values = list(scores)
    if not values:
        return None
    if rule == "mean":      # two-decimal inputs: the Decimal sum is exact
        return to_decimal(Fraction(sum(values, Decimal(0))) / len(values))
    if rule == "median":
        return to_decimal(Fraction(median(_exact(v) for v in values)))
    raise ValueError(f"unknown aggregation rule {rule!r}; choose one of {', '.join(RULES)}")


def rank(scored: Sequence[tuple[str, Decimal]]) -> dict[str, int]:
    """Standard competition ranks, highest first: ``[(a, 90), (b, 85), (c, 85), (d, 80)]`` ->
    ``{a: 1, b: 2, c: 2, d: 4}``."""
    ordered = sorted(scored, key=lambda x: -x[1])
    out: dict[str, int] = {}
    prev, prev_rank = None, 0
    for i, (key, value) in enumerate(ordered, start=1):
        if value != prev:
            prev, prev_rank = value, i
        out[key] = prev_rank
    return out


def _mean(values: list[Decimal]) -> Decimal | None:
    return to_decimal(Fraction(sum(values, Decimal(0))) / len(values)) if values else None


def _dimensions(unit_sections: list[Mapping[str, Decimal | None]], ids: Sequence[str]) -> dict:
    return {d: _mean([s[d] for s in unit_sections if s.get(d) is not None]) for d in ids}


def _shortfalls(assessments: Iterable[Assessment], top: int) -> list[Shortfall]:
    failed, scored = Counter(), Counter()
    for a in assessments:
        failed.update(set(a.failed))
        scored.update(set(a.scored))
    rows = [Shortfall(item, failed[item], scored[item]) for item in failed]
    # failed / scored of small counts: a float orders them exactly
    rows.sort(key=lambda s: (-(s.failed / s.scored if s.scored else 0.0), -s.failed, s.item))
    return rows[:top]


def compute(governments: Sequence[Government], units: Sequence[Unit],
            assessments: Sequence[Assessment], bands: Sequence[BandInfo], *,
            rule: str = "mean", min_units: int = 1, dimensions: Sequence[str] = (),
            previous: Mapping[str, Decimal | None] | None = None, top: int = 10) -> RoundResults:
    """The results of one round.

    ``assessments`` are every assessment of the round (any status: only ``approved`` counts;
    the others show as a unit's status). ``dimensions`` are the template's top-level section
    ids. ``previous`` maps a government id to its score in the previous round (from an earlier
    :func:`compute`). Pure: reads nothing else, writes nothing."""
    if rule not in RULES:
        raise ValueError(f"unknown aggregation rule {rule!r}; choose one of {', '.join(RULES)}")
    previous = previous or {}
    by_unit: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_unit[a.unit_id].append(a)
    units_of: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        units_of[u.government_id].append(u)
    counted: list[Assessment] = []
    results: list[GovernmentResult] = []
    for g in governments:
        unit_rows = []
        mine_counted: list[Assessment] = []
        for u in sorted(units_of.get(g.id, []), key=lambda u: (u.name, u.id)):
            mine = sorted(by_unit.get(u.id, []), key=lambda a: (a.updated_at, a.uuid), reverse=True)
            approved = [a for a in mine if a.status == "approved" and a.total is not None]
            if approved:
                a = approved[0]
                counted.append(a)
                mine_counted.append(a)
                unit_rows.append(UnitResult(u, a.uuid, a.total, "approved", dict(a.sections),
                                            [x.uuid for x in mine if x is not a]))
            elif mine:
                unit_rows.append(UnitResult(u, mine[0].uuid, None, mine[0].status, {},
                                            [x.uuid for x in mine[1:]]))
            else:
                unit_rows.append(UnitResult(u, None, None, "missing"))
        scores = [r.score for r in unit_rows if r.score is not None]
        score = aggregate(scores, rule) if len(scores) >= max(1, min_units) else None
        prev = previous.get(g.id)
        gr = GovernmentResult(g, unit_rows, score, band_for(bands, score), previous=prev,
                              change=(score - prev) if score is not None and prev is not None else None,
                              dimensions=_dimensions([r.sections for r in unit_rows if r.score is not None],
                                                     dimensions))
        gr.shortfalls = _shortfalls(mine_counted, top)
        results.append(gr)
    for category in {g.government.category for g in results}:
        members = [g for g in results if g.government.category == category and g.score is not None]
        ranks = rank([(g.government.id, g.score) for g in members])
        for g in members:
            g.rank, g.of = ranks[g.government.id], len(members)
    out = RoundResults(results, list(bands), rule)
    out.counts = counts(results, bands)
    out.dimensions = _dimensions([dict(a.sections) for a in counted], dimensions)
    out.shortfalls = _shortfalls(counted, top)
    return out


def counts(results: Sequence[GovernmentResult], bands: Sequence[BandInfo]) -> dict:
    """Governments per band, per category x band and per province x band (``None`` = no score),
    plus scored / unscored and units missing."""
    def empty():
        return {**{b.id: 0 for b in bands}, None: 0}
    per_band, per_cat, per_prov = empty(), defaultdict(empty), defaultdict(empty)
    for g in results:
        key = g.band.id if g.band else None
        per_band[key] += 1
        per_cat[g.government.category][key] += 1
        per_prov[g.government.province][key] += 1
    return {"band": per_band, "category": dict(per_cat), "province": dict(per_prov),
            "scored": sum(1 for g in results if g.score is not None),
            "unscored": sum(1 for g in results if g.score is None),
            "units_missing": sum(g.missing_units for g in results)}


def review_status(rows: Iterable[tuple[str, str]],
                  units: Mapping[str, int] | None = None) -> dict[str, dict[str, int]]:
    """``(team, status)`` pairs of a round's assessments (and the register's unit count per team)
    -> per team: units to assess, assessments assigned or started (every row), submitted
    (submitted or approved) and approved."""
    out: dict[str, dict[str, int]] = {}

    def team(name):
        return out.setdefault(name, {"units": 0, "assigned": 0, "submitted": 0, "approved": 0})
    for name, n in (units or {}).items():
        team(name)["units"] = n
    for name, status in rows:
        t = team(name)
        t["assigned"] += 1
        if status in ("submitted", "approved"):
            t["submitted"] += 1
        if status == "approved":
            t["approved"] += 1
    return dict(sorted(out.items()))
