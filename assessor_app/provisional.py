"""Honest numbers for a draft: its score is *provisional*, and it has no grade until every
dimension that makes up the total has a score (a total over half the dimensions is not the
unit's grade). The app, the home list and the CLI all ask here."""

from __future__ import annotations


def missing_dimensions(result) -> list:
    """Top-level sections carrying scored items that have no score yet (nothing answered)."""
    out = []
    for sec in result.template.sections:
        scored = any(i.scored for i in sec.walk_items())
        if scored and result.sections[sec.id].score is None:
            out.append(sec)
    return out


def shown_band(result):
    """The grade band to show: None while a dimension needed for the total has no score."""
    if result is None or result.band is None or missing_dimensions(result):
        return None
    return result.band


__all__ = ["missing_dimensions", "shown_band"]
