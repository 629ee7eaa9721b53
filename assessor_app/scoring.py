"""The one scoring engine: a pure function of (template, answers).

Everything that shows a score (the app, the CLI, the PDF report, the server, ``assessor verify``)
calls :func:`score`. The rules, also stated in docs/templates.md:

* An item's **ratio** is in 0..1: yes = 1, no = 0; a scale point p on a scale lo..hi gives
  (p - lo) / (hi - lo); a choice gives its option's score over the best option's score; a
  multiple choice the sum of the chosen scores over the sum of all positive scores (at most 1);
  a number 1 inside its pass range, else 0. N.A., unanswered and hidden (not relevant) items have
  no ratio and **leave the denominator**.
* A **section's score** is the weighted mean of its children's scores over the children that have
  one. Items weigh their ``weight`` (points). Sub-sections weigh their explicit ``weight`` when
  siblings are weighted (the Ombudsman dimensions), otherwise the points of their applicable items
  (so unweighted trees score "points earned / points possible").
* A **sample group** is evaluated once per sample; its score is the plain mean of the samples that
  have a score, and it weighs the mean of their applicable points.
* The **total** is the root's score times 100. Arithmetic is exact (fractions); every figure is
  rounded once, at the end, half-up to two decimals. The grade band is looked up on the rounded
  total. Contributions of all items add up to the unrounded total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from math import gcd
from typing import Any, Iterable, Mapping

from .templates.model import NA, Band, Item, Section, Template

HUNDRED = Fraction(100)
CENT = Decimal("0.01")


def to_decimal(value: Fraction | None) -> Decimal | None:
    """Round an exact value half-up to two decimals (the one rounding rule)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


@dataclass
class AnswerSheet:
    """What the engine reads. Keys are ``(item_id, sample)``; sample is 0 outside sample groups.

    ``samples`` maps a sample group id to its count for this assessment (template default when
    absent); ``evidence`` maps ``(item_id, sample)`` to the number of photos attached.
    """

    answers: Mapping[tuple[str, int], Any] = field(default_factory=dict)
    samples: Mapping[str, int] = field(default_factory=dict)
    evidence: Mapping[tuple[str, int], int] = field(default_factory=dict)

    def sample_count(self, section: Section) -> int:
        if section.sample is None:
            return 1
        return self.samples.get(section.id, section.sample.default)


@dataclass
class ItemScore:
    item: Item
    sample: int
    relevant: bool
    answered: bool
    ratio: Fraction | None
    #: share of the total (0..100 scale) per point of the item's weight; set by the engine for
    #: items that earn a ratio, 0 for the others (N.A., unanswered, hidden)
    scale: Fraction = field(default=Fraction(0), repr=False, compare=False)

    @property
    def max_points(self) -> Fraction:
        """Share of the total this item could give (0..100 scale)."""
        return self.scale * self.item.weight if self.scale else Fraction(0)

    @property
    def points(self) -> Fraction:
        """Share of the total it gives."""
        if not self.scale or self.ratio is None:
            return Fraction(0)
        return self.max_points * self.ratio

    @property
    def failed(self) -> bool:
        return self.ratio is not None and self.ratio < 1

    @property
    def lost(self) -> Fraction:
        if not self.scale or self.ratio is None or self.ratio == 1:
            return Fraction(0)
        return self.scale * self.item.weight * (1 - self.ratio)


@dataclass
class SectionScore:
    section: Section
    score: Decimal | None = None
    per_sample: list[Decimal | None] = field(default_factory=list)
    share: Decimal = Decimal(0)           # how many of the 100 points this section carries
    points: Decimal = Decimal(0)          # how many it earned
    answered: int = 0
    total: int = 0


@dataclass
class Completeness:
    total: int = 0
    answered: int = 0
    required_missing: list[tuple[str, int]] = field(default_factory=list)
    evidence_missing: list[tuple[str, int, int, int]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.required_missing and not self.evidence_missing


@dataclass
class ScoreResult:
    template: Template
    total: Decimal | None
    band: Band | None
    sections: dict[str, SectionScore]
    items: dict[tuple[str, int], ItemScore]
    completeness: Completeness
    exact_total: Fraction | None = None

    def counts(self) -> dict[str, int]:
        """Scored, relevant items by outcome: compliant / partial / non_compliant / na / unanswered."""
        out = {"compliant": 0, "partial": 0, "non_compliant": 0, "na": 0, "unanswered": 0}
        for s in self.items.values():
            if not s.relevant or not s.item.scored:
                continue
            if not s.answered:
                out["unanswered"] += 1
            elif s.ratio is None:
                out["na"] += 1
            elif s.ratio == 1:
                out["compliant"] += 1
            elif s.ratio == 0:
                out["non_compliant"] += 1
            else:
                out["partial"] += 1
        return out

    def summary(self) -> dict:
        """The JSON-ready summary carried in exchange files and reports."""
        c = self.completeness
        return {
            "total": float(self.total) if self.total is not None else None,
            "grade": self.band.id if self.band else None,
            "zone": self.band.zone if self.band else None,
            "sections": {sid: (float(s.score) if s.score is not None else None)
                         for sid, s in self.sections.items()},
            "counts": self.counts(),
            "answered": c.answered, "total_items": c.total,
            "required_missing": len(c.required_missing),
            "evidence_missing": len(c.evidence_missing),
        }

    def explain(self, lang: str = "en", top: int = 10) -> str:
        """Why the total is what it is: each top-level section's share and points, then the items
        that lost the most points."""
        from .i18n import band_text, format_number as num, translate as _
        if self.total is None:
            return _("No scored answer yet: the total is not defined.", lang)
        band = f" ({band_text(self.band, lang)})" if self.band else ""
        lines = [_("Total {total}{band} = the sum of what each dimension earned:", lang).format(
            total=num(self.total, lang), band=band)]
        for sec in self.template.sections:
            s = self.sections[sec.id]
            lines.append(f"  {sec.number} {sec.title.get(lang)}: {_('score', lang)} "
                         f"{num(s.score, lang)} x {_('share', lang)} {num(s.share, lang)}% = "
                         f"{num(s.points, lang)}")
        for x in self.items.values():       # computed variables (corrective-action compliance)
            if x.item.type == "variable" and x.relevant:
                value = _("N.A. (leaves the denominator)", lang) if x.ratio is None \
                    else num(x.ratio * HUNDRED, lang)
                lines.append("  " + _("{number} {text}: {value} (from the corrective-action "
                                      "register)", lang).format(number=x.item.number,
                                                                text=x.item.text.get(lang), value=value))
        lost = sorted((x for x in self.items.values() if x.lost > 0), key=lambda x: -x.lost)[:top]
        if lost:
            lines.append(_("Largest losses:", lang))
            for x in lost:
                where = f" #{x.sample + 1}" if x.item.sample_group else ""
                lines.append(f"  -{num(x.lost, lang)}  {x.item.number}{where} {x.item.text.get(lang)}")
        return "\n".join(lines)


def item_ratio(item: Item, value: Any) -> Fraction | None:
    """An answer's ratio 0..1, or None when it earns nothing (N.A., unanswered, unscored)."""
    if not item.scored or not is_answered(value) or value == NA:
        return None
    kind = item.type
    if kind in ("yes_no", "yes_no_na"):
        return Fraction(1) if value == "yes" else Fraction(0) if value == "no" else None
    if kind in ("scale", "choice"):
        opt = item.option(value)
        if opt is None or opt.na:
            return None
        lo, hi = _score_range(item.options, kind == "scale")
        if hi <= lo:
            return None
        return (max(opt.score or Fraction(0), lo) - lo) / (hi - lo)
    if kind == "multi_choice":
        chosen = value if isinstance(value, list) else [value]
        if any((o := item.option(v)) is not None and o.na for v in chosen):
            return None
        best = sum((o.score for o in item.options if o.score and not o.na), Fraction(0))
        got = sum(((item.option(v).score or 0) for v in chosen if item.option(v)), Fraction(0))
        return min(Fraction(1), got / best) if best else None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        ok = (item.pass_min is None or value >= item.pass_min) and \
             (item.pass_max is None or value <= item.pass_max)
        return Fraction(1 if ok else 0)
    if kind == "variable":     # a computed value (docs/templates.md, "Variables")
        from .actions import variable_ratio
        return variable_ratio(value)
    return None


@lru_cache(maxsize=4096)
def _score_range(options: tuple, scale: bool) -> tuple[Fraction, Fraction]:
    scored = [o.score for o in options if o.score is not None and not o.na]
    return (min(scored), max(scored)) if scale else (Fraction(0), max(scored))


class _Plan:
    """What the engine needs of a template, computed once per Template object (templates are
    immutable; the store keeps one object per hash per process): item weights as integer pairs,
    the items under each section, answer ratios already worked out, and which items' relevance
    reads which others."""

    __slots__ = ("weights", "section_items", "ratios", "dependents", "rank")

    def __init__(self, template: Template):
        self.weights = {i.id: (i.weight.numerator, i.weight.denominator) for i in template.walk_items()}
        self.section_items = {s.id: tuple(s.walk_items()) for s in template.walk_sections()}
        #: (item id, type, value) -> (ratio, numerator, denominator), for hashable answers
        self.ratios: dict[tuple, tuple[Fraction | None, int, int]] = {}
        readers: dict[str, set[str]] = {}
        for item in template.items.values():
            if item.relevant_expr is not None:
                for ref in item.relevant_expr.references():
                    readers.setdefault(ref, set()).add(item.id)
        order = template.relevance_order or tuple(template.items)
        self.rank = rank = {item_id: n for n, item_id in enumerate(order)}
        self.dependents: dict[str, tuple[str, ...]] = {}
        for start in readers:
            seen, todo = set(), [start]
            while todo:
                for reader in readers.get(todo.pop(), ()):
                    if reader not in seen:
                        seen.add(reader)
                        todo.append(reader)
            self.dependents[start] = tuple(sorted(seen, key=lambda i: rank.get(i, 0)))

    def ratio(self, item: Item, value: Any) -> tuple[Fraction | None, int, int]:
        key = (item.id, value.__class__, value)    # True and 1 are equal keys, not equal answers
        try:
            return self.ratios[key]
        except KeyError:
            pass
        except TypeError:           # a list or dict answer: not cached
            r = item_ratio(item, value)
            return (r, 0, 1) if r is None else (r, r.numerator, r.denominator)
        r = item_ratio(item, value)
        out = (r, 0, 1) if r is None else (r, r.numerator, r.denominator)
        if len(self.ratios) < 100_000:
            self.ratios[key] = out
        return out


def _plan(template: Template) -> _Plan:
    plan = template.__dict__.get("_scoring_plan")
    if plan is None:
        plan = _Plan(template)
        object.__setattr__(template, "_scoring_plan", plan)   # a cache, not a field
    return plan


def _exact_sum(parts: dict[int, int]) -> Fraction:
    """The exact sum of ``numerator / denominator`` over ``{denominator: numerator}``, on one
    common denominator (integer arithmetic; a template has few distinct denominators)."""
    if not parts:
        return Fraction(0)
    if len(parts) == 1:
        (den, num), = parts.items()
        return Fraction(num, den)
    common = 1
    for den in parts:
        common = common * den // gcd(common, den)
    return Fraction(sum(num * (common // den) for den, num in parts.items()), common)


class _Node:
    __slots__ = ("ref", "sample", "score", "pooled", "children", "items", "weight", "share")

    def __init__(self, ref, sample):
        self.ref, self.sample = ref, sample
        self.score: Fraction | None = None
        self.pooled = Fraction(0)
        self.children: list[tuple[_Node, Fraction]] = []   # sub-sections (or samples) that score
        self.items: list[ItemScore] = []                     # items with a ratio
        self.weight = Fraction(0)                            # sum of the children's weights
        self.share = Fraction(0)


class _Engine:
    def __init__(self, template: Template, sheet: AnswerSheet):
        self.t, self.sheet = template, sheet
        self.plan = _plan(template)
        self.relevant: dict[tuple[str, int], bool] = {}
        self.items: dict[tuple[str, int], ItemScore] = {}
        self.instances: dict[str, list[_Node]] = {}

    def samples_of(self, item: Item) -> range:
        if item.sample_group is None:
            return range(1)
        return range(self.sheet.sample_count(self.t.section_index[item.sample_group]))

    def lookup(self, sample: int, self_id: str | None = None):
        def get(name: str):
            if name == "self" and self_id:
                name = self_id
            ref = self.t.items.get(name)
            if ref is None:
                return None
            key = (name, sample if ref.sample_group else 0)
            if not self.relevant.get(key, True):
                return None
            return self.sheet.answers.get(key)
        return get

    def compute_relevance(self, only: Iterable[str] | None = None) -> None:
        items, relevant = self.t.items, self.relevant
        for item_id in (self.t.relevance_order or tuple(items)) if only is None else only:
            item = items[item_id]
            expr = item.relevant_expr
            for s in self.samples_of(item):
                relevant[(item_id, s)] = True if expr is None else bool(expr.evaluate(self.lookup(s)))

    def item_node(self, item: Item, sample: int) -> tuple[ItemScore, int, int]:
        key = (item.id, sample)
        relevant = self.relevant.get(key, True)
        value = self.sheet.answers.get(key)
        answered = is_answered(value) or (item.type == "photo" and self.sheet.evidence.get(key, 0) > 0)
        ratio, num, den = self.plan.ratio(item, value) if relevant and value is not None else (None, 0, 1)
        result = ItemScore(item, sample, relevant, answered, ratio)
        self.items[key] = result
        return result, num, den

    def section_node(self, section: Section, sample: int) -> _Node:
        if section.sample is not None and sample < 0:
            group = _Node(section, -1)
            for s in range(self.sheet.sample_count(section)):
                child = self.section_node(section, s)
                if child.score is not None:
                    group.children.append((child, Fraction(1)))
            if group.children:
                n = len(group.children)
                group.weight = Fraction(n)
                group.score = sum((c.score for c, _ in group.children), Fraction(0)) / n
                group.pooled = sum((c.pooled for c, _ in group.children), Fraction(0)) / n
            self.instances.setdefault(section.id, [])
            return group
        node = _Node(section, sample)
        self.instances.setdefault(section.id, []).append(node)
        weighted = Fraction(0)          # sum of weight x score over the sub-sections
        for sub in section.sections:
            child = self.section_node(sub, -1 if sub.sample is not None else sample)
            if child.score is not None:
                w = sub.weight if sub.weight is not None else child.pooled
                node.children.append((child, w))
                node.pooled += child.pooled
                node.weight += w
                weighted += w * child.score
        # items: exact sums of integers per denominator, one Fraction per section at the end
        points: dict[int, int] = {}     # denominator -> numerator of sum(weight x ratio)
        pool: dict[int, int] = {}       # denominator -> numerator of sum(weight)
        weights = self.plan.weights
        for item in section.items:
            res, rn, rd = self.item_node(item, sample)
            if res.ratio is not None:
                node.items.append(res)
                wn, wd = weights[item.id]
                d = wd * rd
                points[d] = points.get(d, 0) + wn * rn
                pool[wd] = pool.get(wd, 0) + wn
        if pool:
            item_weight = _exact_sum(pool)
            node.pooled += item_weight
            node.weight += item_weight
            weighted += _exact_sum(points)
        if node.weight > 0:
            node.score = weighted / node.weight
        return node

    def assign(self, node: _Node, share: Fraction) -> None:
        node.share = share
        if not node.weight:
            return
        for child, w in node.children:
            self.assign(child, share * w / node.weight)
        if node.items:
            scale = share * HUNDRED / node.weight
            for res in node.items:
                res.scale = scale

    def run(self) -> ScoreResult:
        self.compute_relevance()
        root = _Node(None, 0)
        weighted = Fraction(0)
        for sec in self.t.sections:
            child = self.section_node(sec, -1 if sec.sample is not None else 0)
            if child.score is not None:
                w = sec.weight if sec.weight is not None else child.pooled
                root.children.append((child, w))
                root.weight += w
                weighted += w * child.score
        # items never reached by a node (all in empty groups) still need entries
        if len(self.items) != len(self.relevant):
            for item in self.t.walk_items():
                for s in self.samples_of(item):
                    if (item.id, s) not in self.items:
                        self.item_node(item, s)
        exact = None
        if root.children:
            exact = weighted / root.weight * HUNDRED
            self.assign(root, Fraction(1))
        total = to_decimal(exact)
        return ScoreResult(self.t, total, self.t.band_for(total), self.section_scores(),
                           self.items, self.completeness(), exact)

    def section_scores(self) -> dict[str, SectionScore]:
        out = {}
        items = self.items
        for sec in self.t.walk_sections():
            nodes = self.instances.get(sec.id, [])
            scored = [n for n in nodes if n.score is not None]
            result = SectionScore(sec)
            if scored:
                result.score = to_decimal(sum((n.score for n in scored), Fraction(0)) / len(scored) * HUNDRED)
            result.per_sample = [to_decimal(n.score * HUNDRED) if n.score is not None else None
                                 for n in nodes] if (sec.sample or any(n.sample > 0 for n in nodes)) else []
            share = sum((n.share for n in nodes), Fraction(0))
            result.share = to_decimal(share * HUNDRED)
            result.points = to_decimal(sum((n.share * n.score for n in scored), Fraction(0)) * HUNDRED)
            total = answered = 0
            for i in self.plan.section_items[sec.id]:
                for s in self.samples_of(i):
                    x = items[(i.id, s)]
                    if x.relevant:
                        total += 1
                        answered += x.answered
            result.total, result.answered = total, answered
            out[sec.id] = result
        return out

    def completeness(self) -> Completeness:
        c = Completeness()
        for key, x in self.items.items():
            if not x.relevant:
                continue
            c.total += 1
            c.answered += x.answered
            if x.item.required and not x.answered:
                c.required_missing.append(key)
            rule = x.item.evidence
            if rule is None:
                continue
            need = rule.when == "always" or (rule.when == "failed" and x.failed)
            if rule.expr is not None and x.answered:
                need = bool(rule.expr.evaluate(self.lookup(key[1], x.item.id)))
            have = self.sheet.evidence.get(key, 0)
            if need and have < rule.photos:
                c.evidence_missing.append((key[0], key[1], rule.photos, have))
        return c


def score(template: Template, sheet: AnswerSheet) -> ScoreResult:
    """Score ``sheet`` against ``template``. Pure: reads nothing else, writes nothing.

    Exact: every sum is kept as integers over a common denominator and turned into a fraction
    once per section; the figures are rounded once, half-up, at the end (:func:`to_decimal`)."""
    return _Engine(template, sheet).run()


def relevance(template: Template, sheet: AnswerSheet) -> dict[tuple[str, int], bool]:
    """Which ``(item_id, sample)`` are relevant (shown and counted) for ``sheet``.

    The same relevance rules :func:`score` applies, without the scoring: cheap enough to call
    after every answer so that a screen can hide and show items live. Pure, like :func:`score`.
    """
    engine = _Engine(template, sheet)
    engine.compute_relevance()
    return engine.relevant


def relevance_update(template: Template, sheet: AnswerSheet, relevant: dict[tuple[str, int], bool],
                     changed: Iterable[str]) -> set[tuple[str, int]]:
    """Bring ``relevant`` (a result of :func:`relevance`) up to date after the answers of the
    items ``changed`` changed in ``sheet``: only the items whose conditions read them, directly
    or through other conditions, are evaluated again. Updates ``relevant`` in place and returns
    the keys whose relevance flipped. Gives the same dict :func:`relevance` would."""
    plan = _plan(template)
    affected: dict[str, None] = {}
    for item_id in changed:
        for reader in plan.dependents.get(item_id, ()):
            affected[reader] = None
    if not affected:
        return set()
    order = sorted(affected, key=lambda i: plan.rank.get(i, 0))
    engine = _Engine(template, sheet)
    before = {(i, s): relevant.get((i, s), True) for i in order
              for s in engine.samples_of(template.items[i])}
    engine.relevant = relevant              # conditions read the others' current relevance
    engine.compute_relevance(order)
    flipped = {key for key, was in before.items() if relevant[key] != was}
    return flipped


def iter_failed(result: ScoreResult) -> Iterable[ItemScore]:
    """Relevant, answered, scored items whose ratio is below 1, in template order."""
    for x in result.items.values():
        if x.relevant and x.failed:
            yield x
