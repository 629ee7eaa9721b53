"""Template rules a JSON schema cannot express: band coverage and condition references/cycles."""

from __future__ import annotations

from decimal import Decimal

from ..i18n import _
from .model import Band, Item

STEP = Decimal("0.01")


def check_bands(bands: tuple[Band, ...]) -> list[tuple[str, str]]:
    """Bands must not overlap and must cover 0.00-100.00 without gaps at two-decimal resolution."""
    problems = []
    ids = set()
    for i, band in enumerate(bands):
        if band.id in ids:
            problems.append((f"bands[{i}].id",
                             _("duplicate band id {id}").format(id=repr(band.id))))
        ids.add(band.id)
        if band.min > band.max:
            problems.append((f"bands[{i}]", _("min {min} is above max {max}").format(
                min=band.min, max=band.max)))
    if problems:
        return problems
    ordered = sorted(enumerate(bands), key=lambda ib: ib[1].min)
    expected = Decimal("0")
    for i, band in ordered:
        if band.min > expected:
            problems.append((f"bands[{i}].min", _("gap: no band covers {start} to {end}").format(
                start=expected, end=band.min - STEP)))
        elif band.min < expected:
            problems.append((f"bands[{i}].min", _("band {id} overlaps the band below it (starts "
                                                  "at {start}, previous ends at {end})").format(
                id=repr(band.id), start=band.min, end=expected - STEP)))
        expected = band.max + STEP
    if expected <= Decimal("100"):
        last = ordered[-1][0]
        problems.append((f"bands[{last}].max",
                         _("no band covers {start} to 100").format(start=expected)))
    return problems


def check_conditions(items: dict[str, Item], where: dict[str, str]):
    """Check that conditions reference known items in reachable scope and have no cycles.

    Returns ``(order, problems)`` where ``order`` lists item ids so that every item comes after
    the items its relevance condition reads.
    """
    problems: list[tuple[str, str]] = []
    deps: dict[str, set[str]] = {}
    for item in items.values():
        refs: set[str] = set()
        checks = []
        if item.relevant_expr is not None:
            checks.append(("relevant", item.relevant_expr))
        if item.evidence is not None and item.evidence.expr is not None:
            checks.append(("evidence.when", item.evidence.expr))
        for key, expr in checks:
            for ref in sorted(expr.references()):
                if key == "evidence.when" and ref == "self":
                    continue
                target = items.get(ref)
                if target is None:
                    problems.append((f"{where[item.id]}.{key}",
                                     _("refers to unknown item {item}").format(item=repr(ref))))
                elif target.sample_group is not None and target.sample_group != item.sample_group:
                    problems.append((f"{where[item.id]}.{key}",
                                     _("refers to {item}, which is answered once per sample in "
                                       "{group}; only items of the same sample group or outside "
                                       "any sample group can be referenced").format(
                                         item=repr(ref), group=repr(target.sample_group))))
                elif key == "relevant":
                    refs.add(ref)
        deps[item.id] = refs
    if problems:
        return (), problems
    order: list[str] = []
    state: dict[str, int] = {}

    for start in items:
        if state.get(start):
            continue
        stack = [(start, iter(sorted(deps[start])))]
        state[start] = 1
        path = [start]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
                order.append(node)
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                problems.append((f"{where[node]}.relevant",
                                 _("relevance conditions form a cycle: {cycle}").format(
                                     cycle=" -> ".join(cycle))))
                return (), problems
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(deps[nxt]))))
    return tuple(order), problems
