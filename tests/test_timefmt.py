"""Instants are stored with their offset and printed in local time with the zone's name."""

from __future__ import annotations

import datetime as dt

import pytest

from assessor_app.timefmt import format_instant, format_time, local_now, parse_instant, zone_name


@pytest.mark.parametrize("hours,name", [(7, "WIB"), (8, "WITA"), (9, "WIT"), (0, "UTC"),
                                        (5.5, "UTC+5:30"), (-3, "UTC-3"), (2, "UTC+2")])
def test_zone_names(hours, name):
    assert zone_name(dt.timedelta(hours=hours)) == name


def test_an_instant_keeps_its_offset_when_printed():
    # made on a WITA laptop: the same instant, stored with its offset, prints 19:27 WITA
    assert format_instant("2026-11-30T19:27:05+08:00") == "2026-11-30 19:27 WITA"
    assert format_time("2026-11-30T19:27:05+08:00") == "19:27 WITA"
    assert format_instant("2026-11-30T19:27:05+07:00", seconds=True) == "2026-11-30 19:27:05 WIB"


def test_utc_values_are_shown_in_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Makassar")
    import time
    time.tzset()
    try:
        assert format_instant("2026-11-30T11:25:00Z") == "2026-11-30 19:25 WITA"
        assert format_instant("D:20261130112500+00'00'") == "2026-11-30 19:25 WITA"
        assert local_now().endswith("+08:00")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_no_value_and_non_instants():
    assert format_instant(None) == "-"
    assert format_instant("", empty="?") == "?"
    assert format_instant("not a time") == "not a time"
    assert parse_instant("2026-11-30T10:00:00").tzinfo is None
    assert format_instant("2026-11-30T10:00:00") == "2026-11-30 10:00"   # a camera's clock


def test_signatures_are_stored_with_their_offset(tmp_path, monkeypatch):
    from assessor_app.demo import demo_signature
    from tests.helpers import mini_store
    monkeypatch.setenv("TZ", "Asia/Jayapura")
    import time
    time.tzset()
    try:
        store = mini_store(tmp_path)
        uid = store.create_assessment("mini", unit={"unit": "X"})
        store.sign(uid, "inspector", name="Rina", png=demo_signature("Rina"))
        signed = store.get(uid).signatures[0]["signed_at"]
        assert signed.endswith("+09:00")
        assert format_instant(signed).endswith(" WIT")
        store.close()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

