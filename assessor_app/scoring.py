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
    max_points: Fraction = Fraction(0)    # share of the total this item could give (0..100 scale)
    points: Fraction = Fraction(0)        # share of the total it gives

    @property
    def failed(self) -> bool:
        return self.ratio is not None and self.ratio < 1

    @property
    def lost(self) -> Fraction:
        return self.max_points - self.points


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
    return None


@lru_cache(maxsize=4096)
def _score_range(options: tuple, scale: bool) -> tuple[Fraction, Fraction]:
    scored = [o.score for o in options if o.score is not None and not o.na]
    return (min(scored), max(scored)) if scale else (Fraction(0), max(scored))


class _Node:
    __slots__ = ("ref", "sample", "score", "pooled", "children", "share")

    def __init__(self, ref, sample):
        self.ref, self.sample = ref, sample
        self.score: Fraction | None = None
        self.pooled = Fraction(0)
        self.children: list[tuple[Any, Fraction]] = []
        self.share = Fraction(0)


class _Engine:
    def __init__(self, template: Template, sheet: AnswerSheet):
        self.t, self.sheet = template, sheet
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

    def compute_relevance(self) -> None:
        for item_id in self.t.relevance_order or tuple(self.t.items):
            item = self.t.items[item_id]
            for s in self.samples_of(item):
                ok = True
                if item.relevant_expr is not None:
                    ok = bool(item.relevant_expr.evaluate(self.lookup(s)))
                self.relevant[(item_id, s)] = ok

    def item_node(self, item: Item, sample: int) -> ItemScore:
        key = (item.id, sample)
        relevant = self.relevant.get(key, True)
        value = self.sheet.answers.get(key)
        answered = is_answered(value) or (item.type == "photo" and self.sheet.evidence.get(key, 0) > 0)
        ratio = item_ratio(item, value) if relevant else None
        result = ItemScore(item, sample, relevant, answered, ratio)
        self.items[key] = result
        return result

    def section_node(self, section: Section, sample: int) -> _Node:
        if section.sample is not None and sample < 0:
            group = _Node(section, -1)
            for s in range(self.sheet.sample_count(section)):
                child = self.section_node(section, s)
                if child.score is not None:
                    group.children.append((child, Fraction(1)))
            if group.children:
                group.score = sum((c.score for c, _ in group.children), Fraction(0)) / len(group.children)
                group.pooled = sum((c.pooled for c, _ in group.children), Fraction(0)) / len(group.children)
            self.instances.setdefault(section.id, [])
            return group
        node = _Node(section, sample)
        self.instances.setdefault(section.id, []).append(node)
        for sub in section.sections:
            child = self.section_node(sub, -1 if sub.sample is not None else sample)
            if child.score is not None:
                node.children.append((child, sub.weight if sub.weight is not None else child.pooled))
                node.pooled += child.pooled
        for item in section.items:
            res = self.item_node(item, sample)
            if res.ratio is not None:
                node.children.append((res, item.weight))
                node.pooled += item.weight
        weight = sum((w for _, w in node.children), Fraction(0))
        if weight > 0:
            node.score = sum((w * _score(c) for c, w in node.children), Fraction(0)) / weight
        return node

    def assign(self, node: _Node, share: Fraction) -> None:
        node.share = share
        weight = sum((w for _, w in node.children), Fraction(0))
        for child, w in node.children:
            part = share * w / weight
            if isinstance(child, ItemScore):
                child.max_points = part * HUNDRED
                child.points = part * HUNDRED * child.ratio
            else:
                self.assign(child, part)

    def run(self) -> ScoreResult:
        self.compute_relevance()
        root = _Node(None, 0)
        for sec in self.t.sections:
            child = self.section_node(sec, -1 if sec.sample is not None else 0)
            if child.score is not None:
                root.children.append((child, sec.weight if sec.weight is not None else child.pooled))
        # items never reached by a node (all in empty groups) still need entries
        for item in self.t.walk_items():
            for s in self.samples_of(item):
                if (item.id, s) not in self.items:
                    self.item_node(item, s)
        exact = None
        if root.children:
            weight = sum((w for _, w in root.children), Fraction(0))
            exact = sum((w * c.score for c, w in root.children), Fraction(0)) / weight * HUNDRED
            self.assign(root, Fraction(1))
        total = to_decimal(exact)
        return ScoreResult(self.t, total, self.t.band_for(total), self.section_scores(),
                           self.items, self.completeness(), exact)

    def section_scores(self) -> dict[str, SectionScore]:
        out = {}
        for sec in self.t.walk_sections():
            nodes = [n for n in self.instances.get(sec.id, [])]
            scored = [n for n in nodes if n.score is not None]
            result = SectionScore(sec)
            if scored:
                result.score = to_decimal(sum((n.score for n in scored), Fraction(0)) / len(scored) * HUNDRED)
            result.per_sample = [to_decimal(n.score * HUNDRED) if n.score is not None else None
                                 for n in nodes] if (sec.sample or any(n.sample > 0 for n in nodes)) else []
            share = sum((n.share for n in nodes), Fraction(0))
            result.share = to_decimal(share * HUNDRED)
            result.points = to_decimal(sum((n.share * n.score for n in scored), Fraction(0)) * HUNDRED)
            keys = [(i.id, s) for i in sec.walk_items() for s in self.samples_of(i)]
            live = [self.items[k] for k in keys if self.items[k].relevant]
            result.total = len(live)
            result.answered = sum(1 for x in live if x.answered)
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


def _score(child) -> Fraction:
    return child.ratio if isinstance(child, ItemScore) else child.score


def score(template: Template, sheet: AnswerSheet) -> ScoreResult:
    """Score ``sheet`` against ``template``. Pure: reads nothing else, writes nothing."""
    return _Engine(template, sheet).run()


def relevance(template: Template, sheet: AnswerSheet) -> dict[tuple[str, int], bool]:
    """Which ``(item_id, sample)`` are relevant (shown and counted) for ``sheet``.

    The same relevance rules :func:`score` applies, without the scoring: cheap enough to call
    after every answer so that a screen can hide and show items live. Pure, like :func:`score`.
    """
    engine = _Engine(template, sheet)
    engine.compute_relevance()
    return engine.relevant


def iter_failed(result: ScoreResult) -> Iterable[ItemScore]:
    """Relevant, answered, scored items whose ratio is below 1, in template order."""
    for x in result.items.values():
        if x.relevant and x.failed:
            yield x
