"""The checklist template model: immutable dataclasses built by :mod:`.loader`.

A template is a tree of sections (the top level are the dimensions) holding items. Weights are
exact :class:`fractions.Fraction` values so that scoring is exact and rounding happens once, at
the end (see :mod:`assessor_app.scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterator

LANGUAGES = ("id", "en")

ITEM_TYPES = (
    "yes_no", "yes_no_na", "scale", "choice", "multi_choice", "number",
    "text", "date", "photo", "signature", "location", "variable",
)
#: Types whose answers can earn points.
SCORABLE_TYPES = ("yes_no", "yes_no_na", "scale", "choice", "multi_choice", "number", "variable")
#: Values of ``variable:`` (an item whose answer is computed, not entered).
VARIABLES = ("corrective_action_compliance",)

NA = "na"


@dataclass(frozen=True)
class Text:
    """A string in both languages; ``get("en")`` falls back to Bahasa Indonesia."""

    id: str
    en: str

    def get(self, lang: str = "id") -> str:
        return (self.en if lang == "en" else self.id) or self.id or self.en

    def to_dict(self) -> dict:
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True)
class Band:
    """A grade band or zone: inclusive range ``min``..``max`` on the rounded 0-100 total."""

    id: str
    label: Text
    min: Decimal
    max: Decimal
    colour: str
    zone: str

    def contains(self, score: Decimal) -> bool:
        return self.min <= score <= self.max


@dataclass(frozen=True)
class Option:
    """A choice option or a labelled scale point. ``value`` is a str for choices, an int for scales."""

    value: Any
    label: Text
    score: Fraction | None = None
    na: bool = False
    exclusive: bool = False   # multiple choice: cannot be combined with other options ("none")


@dataclass(frozen=True)
class EvidenceRule:
    """``photos`` photos are required ``when``: "always", "failed" or a condition expression."""

    photos: int
    when: str
    expr: Any = None  # parsed condition when ``when`` is an expression


@dataclass(frozen=True)
class SampleSpec:
    """A section filled once per sampled subject (products, staff, service users)."""

    label: Text
    min: int
    max: int
    default: int


@dataclass(frozen=True)
class Item:
    id: str
    number: str
    type: str
    text: Text
    section_id: str
    sample_group: str | None
    weight: Fraction
    required: bool
    allow_na: bool = False
    guidance: Text | None = None
    legal: str | None = None
    options: tuple[Option, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    pass_min: float | None = None
    pass_max: float | None = None
    evidence: EvidenceRule | None = None
    relevant: str | None = None
    relevant_expr: Any = None
    finding: Text | None = None
    action: Text | None = None
    variable: str | None = None

    @property
    def scored(self) -> bool:
        """True when this item's answer earns points."""
        if self.weight <= 0 or self.type not in SCORABLE_TYPES:
            return False
        if self.type in ("choice", "multi_choice"):
            return any(o.score is not None and not o.na for o in self.options)
        if self.type == "number":
            return self.pass_min is not None or self.pass_max is not None
        return True

    def option(self, value: Any) -> Option | None:
        for opt in self.options:
            if opt.value == value:
                return opt
        return None


@dataclass(frozen=True)
class Section:
    id: str
    number: str
    title: Text
    weight: Fraction | None
    sample: SampleSpec | None
    sections: tuple["Section", ...]
    items: tuple[Item, ...]
    description: Text | None = None

    def walk_items(self) -> Iterator[Item]:
        yield from self.items
        for sub in self.sections:
            yield from sub.walk_items()

    def walk_sections(self) -> Iterator["Section"]:
        yield self
        for sub in self.sections:
            yield from sub.walk_sections()


@dataclass(frozen=True)
class Template:
    """A validated checklist template; ``hash`` is the SHA-256 of its canonical JSON (``body``)."""

    id: str
    version: str
    title: Text
    description: Text | None
    bands: tuple[Band, ...]
    sections: tuple[Section, ...]
    body: dict
    hash: str
    items: dict[str, Item] = field(default_factory=dict)
    section_index: dict[str, Section] = field(default_factory=dict)
    #: items in an order where every relevance condition's references come first
    relevance_order: tuple[str, ...] = ()

    def walk_items(self) -> Iterator[Item]:
        for sec in self.sections:
            yield from sec.walk_items()

    def walk_sections(self) -> Iterator[Section]:
        for sec in self.sections:
            yield from sec.walk_sections()

    def sample_groups(self) -> list[Section]:
        return [s for s in self.walk_sections() if s.sample is not None]

    def band_for(self, score: Decimal | None) -> Band | None:
        if score is None:
            return None
        for band in self.bands:
            if band.contains(score):
                return band
        return None

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)
