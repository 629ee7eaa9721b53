"""The round's results (assessor_app.results) against figures computed by hand."""

from decimal import Decimal as D

import pytest

from assessor_app import results as R

BANDS = [R.BandInfo("A", D(88), D(100), "green"), R.BandInfo("B", D(78), D("87.99"), "green"),
         R.BandInfo("C", D(54), D("77.99"), "yellow"), R.BandInfo("D", D(0), D("53.99"), "red")]


def gov(i, cat="Pemerintah Kota", prov="Jawa Barat"):
    return R.Government(f"g{i}", f"Gov {i}", cat, prov, f"team-{prov}")


def a(uuid, unit, total, status="approved", at="2026-01-01", sections=None, failed=(), scored=()):
    return R.Assessment(uuid, unit, status, None if total is None else D(total), at,
                        sections or {}, tuple(failed), tuple(scored))


@pytest.fixture
def round_():
    govs = [gov(1), gov(2), gov(3), gov(4, prov="Bali"), gov(5, cat="Pemerintah Kabupaten")]
    units = [R.Unit("u1", "Dukcapil", "g1"), R.Unit("u2", "DPMPTSP", "g1"),
             R.Unit("u3", "Dukcapil", "g2"), R.Unit("u4", "RSUD", "g2"),
             R.Unit("u5", "Dukcapil", "g3"), R.Unit("u6", "Dukcapil", "g4"),
             R.Unit("u7", "Dukcapil", "g5")]
    assessments = [
        a("a1", "u1", "90.00", sections={"in": D(80), "pr": D(100)}, failed=["i1"], scored=["i1", "i2"]),
        a("a2", "u2", "85.00", sections={"in": D(70), "pr": D(90)}, failed=["i1", "i2"], scored=["i1", "i2"]),
        a("a3", "u3", "87.50", sections={"in": D(60)}, scored=["i1"]),
        a("a4", "u4", "99.00", status="submitted"),           # not approved: does not count
        a("a5", "u5", "90.00"),
        a("a5old", "u5", "10.00", at="2025-12-01"),           # older approved: not counted
        a("a6", "u6", "80.00"),
        a("a7", "u7", "95.00", status="returned"),
    ]
    return R.compute(govs, units, assessments, BANDS, dimensions=["in", "pr"],
                     previous={"g1": D("80.00"), "g3": D("95.25")})


def test_government_scores_bands_and_ranks_with_ties(round_):
    g = {x.government.id: x for x in round_.governments}
    assert g["g1"].score == D("87.50") and g["g1"].band.id == "B"       # (90 + 85) / 2
    assert g["g2"].score == D("87.50") and g["g2"].missing_units == 1   # u4 only submitted
    assert g["g3"].score == D("90.00") and g["g3"].band.id == "A"
    assert g["g4"].score == D("80.00")
    assert [g[k].rank for k in ("g3", "g1", "g2", "g4")] == [1, 2, 2, 4]
    assert g["g1"].of == 4
    assert g["g5"].score is None and g["g5"].rank is None and g["g5"].band is None
    assert g["g5"].units[0].status == "returned"


def test_change_dimensions_shortfalls_and_missing(round_):
    g = {x.government.id: x for x in round_.governments}
    assert g["g1"].change == D("7.50") and g["g3"].change == D("-5.25")
    assert g["g2"].change is None
    assert g["g1"].dimensions == {"in": D("75.00"), "pr": D("95.00")}
    # round level: "in" over a1, a2, a3 = (80 + 70 + 60) / 3; "pr" over a1, a2
    assert round_.dimensions == {"in": D("70.00"), "pr": D("95.00")}
    top = round_.shortfalls[0]
    assert (top.item, top.failed, top.scored) == ("i1", 2, 3)   # 2/3 before i2's 1/2
    assert [(s.item, s.failed, s.scored) for s in round_.shortfalls[1:]] == [("i2", 1, 2)]
    assert round_.units_missing == 2 and round_.units_total == 7


def test_counts_per_band_category_province(round_):
    c = round_.counts
    assert c["band"] == {"A": 1, "B": 3, "C": 0, "D": 0, None: 1}
    assert c["category"]["Pemerintah Kota"]["B"] == 3
    assert c["category"]["Pemerintah Kabupaten"][None] == 1
    assert c["province"]["Bali"] == {"A": 0, "B": 1, "C": 0, "D": 0, None: 0}
    assert (c["scored"], c["unscored"], c["units_missing"]) == (4, 1, 2)


def test_json_row_shape(round_):
    row = round_.government("g1").row()
    assert row["government"] == "Gov 1" and row["rank"] == 2 and row["band"] == "B"
    assert row["units"] == [{"unit": "DPMPTSP", "id": "u2", "uuid": "a2", "score": 85.0},
                            {"unit": "Dukcapil", "id": "u1", "uuid": "a1", "score": 90.0}]


def test_rank_competition_and_exact_rounding():
    assert R.rank([("a", D(90)), ("b", D(85)), ("c", D(85)), ("d", D(80)), ("e", D(80))]) == \
        {"a": 1, "b": 2, "c": 2, "d": 4, "e": 4}
    assert R.aggregate([D("70.01"), D("70.00")]) == D("70.01")       # 70.005 rounds half-up
    assert R.aggregate([D("60"), D("70"), D("95")], "median") == D("70.00")
    assert R.aggregate([]) is None
    with pytest.raises(ValueError):
        R.aggregate([D(1)], "max")


def test_min_units_and_median_rule():
    govs = [gov(1)]
    units = [R.Unit("u1", "x", "g1"), R.Unit("u2", "y", "g1"), R.Unit("u3", "z", "g1")]
    data = [a("a1", "u1", "60"), a("a2", "u2", "95")]
    res = R.compute(govs, units, data, BANDS, min_units=3)
    assert res.governments[0].score is None and res.governments[0].missing_units == 1
    res = R.compute(govs, units, data + [a("a3", "u3", "70")], BANDS, rule="median")
    assert res.governments[0].score == D("70.00") and res.governments[0].band.id == "C"


def test_review_status_per_team():
    rows = [("t1", "draft"), ("t1", "submitted"), ("t1", "approved"), ("t2", "approved")]
    assert R.review_status(rows, {"t1": 4, "t3": 2}) == {
        "t1": {"units": 4, "assigned": 3, "submitted": 2, "approved": 1},
        "t2": {"units": 0, "assigned": 1, "submitted": 1, "approved": 1},
        "t3": {"units": 2, "assigned": 0, "submitted": 0, "approved": 0}}
