"""Legal limits, evaluation, sanctions and points, checked against JT 2016 No. 62 Art. 3/43, MPS Order 162."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from backend.domain.overload import (
    DEFAULT_RULES,
    AxleLimit,
    Sanction,
    evaluate,
    gross_limit,
    police_points,
    road_sanction,
    size_violations,
    tolerance_for,
)

# Art. 3 para. 1 items (4)-(8), written out row by row.
LIMIT_ROWS = [
    (2, "rigid", 18_000),
    (2, "combination", 18_000),
    (3, "rigid", 25_000),
    (3, "combination", 27_000),
    (4, "rigid", 31_000),
    (4, "combination", 36_000),
    (5, "combination", 43_000),
    (5, "rigid", 43_000),
    *[(n, "combination", 49_000) for n in range(6, 13)],
]


@pytest.mark.parametrize(("axles", "kind", "limit"), LIMIT_ROWS)
def test_limit_table_and_boundaries(axles: int, kind: str, limit: int) -> None:
    result = gross_limit(axles, kind)  # type: ignore[arg-type]
    assert result.limit_kg == limit
    assert not result.kind_assumed
    at_limit = evaluate(limit, axles, kind)  # type: ignore[arg-type]
    assert not at_limit.overloaded and at_limit.excess_kg == 0 and at_limit.excess_pct == 0
    over = evaluate(limit + 0.1, axles, kind)  # type: ignore[arg-type]
    assert over.overloaded
    assert over.excess_kg == pytest.approx(0.1, abs=1e-9)
    assert over.rule_version == "GB1589-2016/JT62-2016#1"


@pytest.mark.parametrize(("axles", "lower", "higher"), [(3, 25_000, 27_000), (4, 31_000, 36_000)])
def test_unknown_kind_takes_the_lower_limit_with_a_note(axles: int, lower: int, higher: int) -> None:
    result = gross_limit(axles, None)
    assert result.limit_kg == lower
    assert result.kind_assumed
    assert any("lower" in note and str(higher) in note for note in result.notes)
    ev = evaluate(lower + 1, axles, None)
    assert ev.overloaded and ev.kind_assumed and ev.notes == result.notes


@pytest.mark.parametrize(("axles", "limit"), [(2, 18_000), (5, 43_000), (6, 49_000), (12, 49_000)])
def test_unknown_kind_is_not_flagged_where_kind_does_not_matter(axles: int, limit: int) -> None:
    result = gross_limit(axles, None)
    assert (result.limit_kg, result.kind_assumed, result.notes) == (limit, False, ())


@pytest.mark.parametrize("axles", [6, 7, 12])
def test_single_drive_axle_tractor(axles: int) -> None:
    result = gross_limit(axles, "combination", single_drive_axle=True)
    assert result.limit_kg == 46_000
    assert not evaluate(46_000, axles, None, single_drive_axle=True).overloaded
    assert evaluate(46_000.1, axles, None, single_drive_axle=True).overloaded


def test_single_drive_axle_is_ignored_below_six_axles() -> None:
    result = gross_limit(5, "combination", single_drive_axle=True)
    assert result.limit_kg == 43_000
    assert any("ignored" in note for note in result.notes)


@pytest.mark.parametrize(
    ("axles", "kind", "single_drive", "single_tyres", "limit"),
    [
        (3, "rigid", False, 1, 22_000),
        (4, "combination", False, 2, 30_000),
        (6, "combination", False, 3, 40_000),
        (6, "combination", True, 2, 40_000),
        (2, "rigid", False, 2, 12_000),
    ],
)
def test_single_tyre_reduction_per_axle(
    axles: int, kind: str, single_drive: bool, single_tyres: int, limit: int
) -> None:
    result = gross_limit(axles, kind, single_drive_axle=single_drive,  # type: ignore[arg-type]
                         single_tyre_axles=single_tyres)
    assert result.limit_kg == limit
    assert any("single-tyre" in note for note in result.notes)


def test_single_tyre_reduction_once_per_vehicle_is_configurable() -> None:
    once = replace(DEFAULT_RULES, single_tyre_reduction_per_axle=False, version="test#once")
    assert gross_limit(6, "combination", single_tyre_axles=3, rules=once).limit_kg == 46_000
    assert evaluate(47_000, 6, None, single_tyre_axles=3, rules=once).rule_version == "test#once"


@pytest.mark.parametrize("axles", [0, 1, 13, -2])
def test_axles_outside_range_are_rejected(axles: int) -> None:
    with pytest.raises(ValueError, match="axles"):
        gross_limit(axles, "rigid")


@pytest.mark.parametrize("single_tyres", [-1, 4])
def test_bad_single_tyre_counts_are_rejected(single_tyres: int) -> None:
    with pytest.raises(ValueError, match="single_tyre_axles"):
        gross_limit(3, "rigid", single_tyre_axles=single_tyres)


def test_bad_inputs_are_rejected() -> None:
    with pytest.raises(ValueError):
        gross_limit(3, "semi")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        gross_limit(True, "rigid")
    for gross in (-1.0, math.nan, math.inf):
        with pytest.raises(ValueError):
            evaluate(gross, 2, "rigid")
    with pytest.raises(ValueError):
        evaluate(1.0, 2, "rigid", tolerance_kg=-1)


def test_tolerance_boundaries() -> None:
    assert not evaluate(49_500, 6, None, tolerance_kg=500).overloaded
    ev = evaluate(49_500.1, 6, None, tolerance_kg=500)
    assert ev.overloaded and ev.tolerance_kg == 500
    assert ev.excess_kg == pytest.approx(500.1)


@pytest.mark.parametrize(
    ("limit", "abs_kg", "pct", "expected"),
    [(49_000, 0.0, 0.0, 0.0), (49_000, 500.0, 1.0, 500.0), (49_000, 0.0, 2.0, 980.0),
     (18_000, 100.0, 5.0, 900.0)],
)
def test_tolerance_for_takes_the_larger(limit: int, abs_kg: float, pct: float, expected: float) -> None:
    assert tolerance_for(limit, tolerance_kg=abs_kg, tolerance_pct=pct) == pytest.approx(expected)


def test_tolerance_for_rejects_negatives() -> None:
    with pytest.raises(ValueError):
        tolerance_for(18_000, tolerance_pct=-1)


@pytest.mark.parametrize(
    ("gross", "excess_kg", "excess_pct"),
    [
        (18_000.9, 0.9, 0.01),  # exactly 0.005 % rounds half up
        (18_000.8, 0.8, 0.0),
        (17_999.1, -0.9, -0.01),  # half away from zero when under
        (17_000.9, -999.1, -5.55),
        (27_000.0, 9_000.0, 50.0),
        (0.0, -18_000.0, -100.0),
    ],
)
def test_excess_and_percentage_rounding(gross: float, excess_kg: float, excess_pct: float) -> None:
    ev = evaluate(gross, 2, "rigid")
    assert ev.excess_kg == excess_kg
    assert ev.excess_pct == excess_pct


def test_as_dict_is_plain_json() -> None:
    data = evaluate(26_000, 3, None).as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["limit_kg"] == 25_000 and data["overloaded"] is True and isinstance(data["notes"], list)
    assert set(data) == {"gross_kg", "limit_kg", "tolerance_kg", "excess_kg", "excess_pct", "overloaded",
                         "rule_version", "kind_assumed", "notes"}


@pytest.mark.parametrize(
    ("dims", "expected"),
    [
        ((4.0, 2.55, 18.1), []),
        ((4.01, 2.55, 18.1), ["height"]),
        ((4.0, 2.56, 18.1), ["width"]),
        ((4.0, 2.55, 18.11), ["length"]),
        ((4.5, 3.0, 20.0), ["height", "width", "length"]),
    ],
)
def test_size_violations(dims: tuple[float, float, float], expected: list[str]) -> None:
    assert size_violations(*dims) == expected


@pytest.mark.parametrize(
    ("excess", "kind", "fine"),
    [
        (-5.0, "none", 0),
        (0.0, "none", 0),
        (0.1, "warning", 0),
        (1_000.0, "warning", 0),
        (1_000.1, "fine", 500),
        (1_999.9, "fine", 500),
        (2_000.0, "fine", 1_000),
        (2_400.0, "fine", 1_000),
        (59_999.9, "fine", 29_500),
        (60_000.0, "fine", 30_000),
        (250_000.0, "fine", 30_000),
    ],
)
def test_road_sanction_counts_complete_steps(excess: float, kind: str, fine: int) -> None:
    assert road_sanction(excess) == Sanction(kind, fine)  # type: ignore[arg-type]


@pytest.mark.parametrize(("excess", "fine"), [(1_000.1, 1_000), (2_000.0, 1_000), (2_400.0, 1_500),
                                              (59_000.1, 30_000)])
def test_road_sanction_started_steps_reading(excess: float, fine: int) -> None:
    started = replace(DEFAULT_RULES, fine_step_rounding="ceil")
    assert road_sanction(excess, rules=started) == Sanction("fine", fine)


@pytest.mark.parametrize(
    ("gross", "licensed", "points"),
    [
        (9_000.0, 10_000.0, 0),
        (10_000.0, 10_000.0, 0),
        (10_000.1, 10_000.0, 1),
        (12_999.9, 10_000.0, 1),
        (13_000.0, 10_000.0, 3),
        (1_309.1, 1_007.0, 3),  # exactly 30 %, where float division gives 29.999999999999993
        (1_502.1, 1_001.4, 6),  # exactly 50 %, where float division gives 49.99999999999999
        (14_999.9, 10_000.0, 3),
        (15_000.0, 10_000.0, 6),
        (40_000.0, 10_000.0, 6),
    ],
)
def test_police_points_bands(gross: float, licensed: float, points: int) -> None:
    assert police_points(gross, licensed) == points


def test_police_points_rejects_zero_licensed_mass() -> None:
    with pytest.raises(ValueError):
        police_points(1.0, 0.0)


def test_rule_table_is_validated() -> None:
    with pytest.raises(ValueError):
        replace(DEFAULT_RULES, gross_limits=(AxleLimit(3, 1, 1), AxleLimit(2, 1, 1)))
    with pytest.raises(ValueError):
        replace(DEFAULT_RULES, gross_limits=(AxleLimit(3, 1, 1),))
