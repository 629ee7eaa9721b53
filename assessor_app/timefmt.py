"""Instants as people read them: local time with its zone, the same on screen, in the report
and in ``assessor verify``.

Indonesia has three zones, named by everyone who lives there: WIB (UTC+7), WITA (UTC+8) and
WIT (UTC+9). Any other offset is printed as ``UTC+h`` (``UTC+5:30``, ``UTC-3``), and UTC as
``UTC``. Instants are stored with their offset (``2026-11-30T19:27:05+08:00``, see
:func:`local_now`), so a laptop in Makassar prints "19:27 WITA" wherever the report is read.
Older values stored in UTC (``...Z``) are shown in the local zone of the computer showing them.
"""

from __future__ import annotations

import datetime as dt

#: Indonesian zone names by offset in minutes
ZONE_NAMES = {7 * 60: "WIB", 8 * 60: "WITA", 9 * 60: "WIT"}


def local_now() -> str:
    """This computer's local time with its UTC offset: ``2026-11-30T19:27:05+08:00``."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def parse_instant(value: str | dt.datetime | None) -> dt.datetime | None:
    """A datetime from an ISO 8601 text: aware with ``Z`` or an offset; naive without one (a
    camera's clock, whose zone nobody knows). None for None, an empty text or no instant."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        if text.startswith("D:"):                          # a PDF date: D:20261130112500+00'00'
            text = text[2:].replace("'", "")
            try:
                moment = dt.datetime.strptime(text[:14] + (text[14:] or "+0000").replace("Z", "+0000"),
                                              "%Y%m%d%H%M%S%z")
            except ValueError:
                return None
        else:
            try:
                moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
    return moment


def zone_name(offset: dt.timedelta | None) -> str:
    """``WIB``, ``WITA``, ``WIT``, ``UTC`` or ``UTC+5:30`` for a UTC offset."""
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    if minutes in ZONE_NAMES:
        return ZONE_NAMES[minutes]
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def in_display_zone(moment: dt.datetime) -> dt.datetime:
    """The instant in the zone it should be read in: its own offset when it carries a local one,
    the computer's local zone when it is UTC (old values, PDF signing times)."""
    if moment.utcoffset() in (None, dt.timedelta(0)):
        return moment.astimezone()
    return moment


def format_instant(value: str | dt.datetime | None, *, seconds: bool = False,
                   empty: str = "-") -> str:
    """``2026-11-30 19:27 WITA`` (the same in both languages); ``empty`` for no value; a text that
    is no instant comes back as it is."""
    moment = parse_instant(value)
    if moment is None:
        return empty if value in (None, "") else str(value)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    if moment.tzinfo is None:               # a camera's local time: printed as it is
        return moment.strftime("%Y-%m-%d " + clock)
    moment = in_display_zone(moment)
    return f"{moment.strftime('%Y-%m-%d ' + clock)} {zone_name(moment.utcoffset())}"


def format_time(value: str | dt.datetime | None) -> str:
    """Only the clock and zone: ``19:27 WITA``."""
    text = format_instant(value)
    return text.split(" ", 1)[1] if text.count(" ") >= 2 else text


__all__ = ["ZONE_NAMES", "format_instant", "format_time", "in_display_zone", "local_now",
           "parse_instant", "zone_name"]
