"""Legal gross-mass and size limits of freight vehicles (JT 2016 No. 62 Art. 3, GB 1589-2016), sanctions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

VehicleKind = Literal["rigid", "combination"]
SanctionKind = Literal["none", "warning", "fine"]
_KINDS: tuple[VehicleKind, ...] = ("rigid", "combination")


@dataclass(frozen=True)
class AxleLimit:
    """Gross limit row: applies from `axles` up to the next row; rigid and combination (汽车列车) limits."""

    axles: int
    rigid_kg: int
    combination_kg: int


@dataclass(frozen=True)
class RuleTable:
    """A versioned, complete set of limits; every number used by this module comes from one of these.

    Ambiguities the regulation leaves open are fields rather than guesses:
    - `single_tyre_reduction_per_axle`: Art. 3 para. 2(2) lowers the limit by 3,000 kg when an axle has
      single tyres per side; True reads it as 3,000 kg per such axle (the common enforcement reading), False
      as one 3,000 kg reduction however many axles qualify.
    - `fine_step_rounding`: Art. 43 "超过1000千克的，每超1000千克罚款500元". "floor" counts only complete
      1,000 kg steps (2,400 kg over -> 2 x 500); "ceil" counts every started step (2,400 kg over -> 3 x 500).
    - `police_point_bands`: (threshold %, points) against licensed mass, from 公安部令第162号; a band applies
      from its threshold inclusive ("以上" includes the number), and any excess at all reaches the 0 % band.
    """

    version: str
    gross_limits: tuple[AxleLimit, ...]
    min_axles: int
    max_axles: int
    single_drive_axle_limit_kg: int
    single_drive_axle_min_axles: int
    single_tyre_reduction_kg: int
    single_tyre_reduction_per_axle: bool
    max_height_m: float
    max_width_m: float
    max_length_m: float
    warning_max_excess_kg: float
    fine_step_kg: int
    fine_per_step_yuan: int
    fine_cap_yuan: int
    fine_step_rounding: Literal["floor", "ceil"]
    police_point_bands: tuple[tuple[float, int], ...]

    def __post_init__(self) -> None:
        axles = [row.axles for row in self.gross_limits]
        if not axles or axles != sorted(set(axles)) or axles[0] != self.min_axles:
            raise ValueError("gross_limits must be strictly ascending and start at min_axles")
        if self.max_axles < self.min_axles:
            raise ValueError("max_axles must not be below min_axles")
        if [t for t, _ in self.police_point_bands] != sorted(t for t, _ in self.police_point_bands):
            raise ValueError("police_point_bands must be ascending by threshold")
        if self.fine_step_kg <= 0:
            raise ValueError("fine_step_kg must be positive")


DEFAULT_RULES = RuleTable(
    version="GB1589-2016/JT62-2016#1",
    gross_limits=(
        AxleLimit(2, 18_000, 18_000),
        AxleLimit(3, 25_000, 27_000),
        AxleLimit(4, 31_000, 36_000),
        # The regulation names only 汽车列车 for 5 and 6+ axles; GB 1589 has no rigid truck that long.
        AxleLimit(5, 43_000, 43_000),
        AxleLimit(6, 49_000, 49_000),
    ),
    min_axles=2,
    max_axles=12,
    single_drive_axle_limit_kg=46_000,
    single_drive_axle_min_axles=6,
    single_tyre_reduction_kg=3_000,
    single_tyre_reduction_per_axle=True,
    max_height_m=4.0,
    max_width_m=2.55,
    max_length_m=18.1,
    warning_max_excess_kg=1_000.0,
    fine_step_kg=1_000,
    fine_per_step_yuan=500,
    fine_cap_yuan=30_000,
    # "ceil" would make a 500 yuan fine unreachable (1,000.1 kg over would already be 2 steps), so the
    # reading that keeps the stated 500 yuan step reachable is the default.
    fine_step_rounding="floor",
    police_point_bands=((0.0, 1), (30.0, 3), (50.0, 6)),
)


@dataclass(frozen=True)
class LimitResult:
    """The applicable gross limit; `kind_assumed` is True when an unknown kind forced the lower value."""

    limit_kg: int
    kind_assumed: bool
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    """Outcome of weighing one vehicle: overloaded iff gross_kg > limit_kg + tolerance_kg (strictly)."""

    gross_kg: float
    limit_kg: int
    tolerance_kg: float
    excess_kg: float
    excess_pct: float
    overloaded: bool
    rule_version: str
    kind_assumed: bool
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, str | int | float | bool | list[str]]:
        """Plain JSON-compatible dict of every field (notes as a list)."""
        return {
            "gross_kg": self.gross_kg,
            "limit_kg": self.limit_kg,
            "tolerance_kg": self.tolerance_kg,
            "excess_kg": self.excess_kg,
            "excess_pct": self.excess_pct,
            "overloaded": self.overloaded,
            "rule_version": self.rule_version,
            "kind_assumed": self.kind_assumed,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Sanction:
    """Road-administration sanction under Art. 43: none, a warning (fine 0) or a fine in whole yuan."""

    kind: SanctionKind
    fine_yuan: int


def _check_amount(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite non-negative number, got {value!r}")


def gross_limit(
    axles: int,
    kind: VehicleKind | None,
    *,
    single_drive_axle: bool = False,
    single_tyre_axles: int = 0,
    rules: RuleTable = DEFAULT_RULES,
) -> LimitResult:
    """Gross-mass limit for a vehicle, per the table row with the most axles not above `axles`.

    When `kind` is None and the row distinguishes rigid from combination, the lower (rigid) limit applies and
    the result says so. `single_drive_axle` (tractor with one drive axle) only matters from
    `rules.single_drive_axle_min_axles` axles. `single_tyre_axles` counts only the axles Art. 3 para. 2(2)
    covers (axle-group and trailer axles other than drive axles, fitted with single tyres that are not
    approved wide-base tyres); the caller decides which axles qualify. Axle-load sums (para. 2(3)) are not
    checked here.
    Raises ValueError for axles outside the table's range or a negative / too large single_tyre_axles.
    """
    if isinstance(axles, bool) or not rules.min_axles <= axles <= rules.max_axles:
        raise ValueError(f"axles must be {rules.min_axles}..{rules.max_axles}, got {axles!r}")
    if not 0 <= single_tyre_axles <= axles:
        raise ValueError(f"single_tyre_axles must be 0..{axles}, got {single_tyre_axles!r}")
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS} or None, got {kind!r}")
    row = [r for r in rules.gross_limits if r.axles <= axles][-1]
    notes: list[str] = []
    kind_assumed = False
    if single_drive_axle and axles >= rules.single_drive_axle_min_axles:
        limit = rules.single_drive_axle_limit_kg
        notes.append(f"tractor with a single drive axle: limit {limit} kg")
    else:
        if single_drive_axle:
            notes.append(f"single drive axle matters from {rules.single_drive_axle_min_axles} axles; ignored")
        if kind is None and row.rigid_kg != row.combination_kg:
            kind_assumed = True
            limit = min(row.rigid_kg, row.combination_kg)
            notes.append(
                f"vehicle kind unknown for {axles} axles: applied the lower limit {limit} kg "
                f"(rigid {row.rigid_kg} kg, combination {row.combination_kg} kg)"
            )
        else:
            limit = row.combination_kg if kind == "combination" else row.rigid_kg
    if single_tyre_axles:
        steps = single_tyre_axles if rules.single_tyre_reduction_per_axle else 1
        reduction = steps * rules.single_tyre_reduction_kg
        limit -= reduction
        notes.append(f"{single_tyre_axles} single-tyre axle(s): limit reduced by {reduction} kg")
    if limit <= 0:
        raise ValueError(f"rule table {rules.version} yields a non-positive limit for this vehicle")
    return LimitResult(limit_kg=limit, kind_assumed=kind_assumed, notes=tuple(notes))


def tolerance_for(limit_kg: int, *, tolerance_kg: float = 0.0, tolerance_pct: float = 0.0) -> float:
    """The larger of an absolute tolerance and a percentage of the limit (0 by default at source sites)."""
    _check_amount("tolerance_kg", tolerance_kg)
    _check_amount("tolerance_pct", tolerance_pct)
    return max(float(tolerance_kg), limit_kg * tolerance_pct / 100.0)


def _round2(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def evaluate(
    gross_kg: float,
    axles: int,
    kind: VehicleKind | None,
    *,
    single_drive_axle: bool = False,
    single_tyre_axles: int = 0,
    tolerance_kg: float = 0.0,
    rules: RuleTable = DEFAULT_RULES,
) -> Evaluation:
    """Evaluate a weighing: excess = gross − limit (signed), excess_pct rounded half-up (away from zero) to 2
    decimals, overloaded iff gross > limit + tolerance (exactly at the limit is legal)."""
    _check_amount("gross_kg", gross_kg)
    _check_amount("tolerance_kg", tolerance_kg)
    lim = gross_limit(
        axles, kind, single_drive_axle=single_drive_axle, single_tyre_axles=single_tyre_axles, rules=rules
    )
    # Decimal of the shortest repr: 18_000.9 kg is 0.9 kg (not 0.90000000000146) and exactly 0.005 % over.
    excess = Decimal(repr(float(gross_kg))) - lim.limit_kg
    return Evaluation(
        gross_kg=float(gross_kg),
        limit_kg=lim.limit_kg,
        tolerance_kg=float(tolerance_kg),
        excess_kg=float(excess),
        excess_pct=_round2(excess / lim.limit_kg * 100),
        overloaded=gross_kg > lim.limit_kg + tolerance_kg,
        rule_version=rules.version,
        kind_assumed=lim.kind_assumed,
        notes=lim.notes,
    )


def size_violations(
    height_m: float, width_m: float, length_m: float, *, rules: RuleTable = DEFAULT_RULES
) -> list[str]:
    """Dimensions strictly above the limits (height 4.0 m, width 2.55 m, length 18.1 m by default), as codes
    "height", "width", "length" in that order; empty when the vehicle is within size."""
    measured = (("height", height_m, rules.max_height_m), ("width", width_m, rules.max_width_m),
                ("length", length_m, rules.max_length_m))
    for name, value, _ in measured:
        _check_amount(f"{name}_m", value)
    return [name for name, value, limit in measured if value > limit]


def road_sanction(excess_kg: float, *, rules: RuleTable = DEFAULT_RULES) -> Sanction:
    """Art. 43(2): excess ≤ 1,000 kg → warning; above, 500 yuan per 1,000 kg over, capped at 30,000 yuan.

    Pass the excess over the limit itself (Evaluation.excess_kg), and only for a vehicle found overloaded.
    Steps are counted per `rules.fine_step_rounding` ("floor" by default: complete 1,000 kg steps of the whole
    excess, so 1,000.1..1,999.9 kg → 500 yuan, 2,400 kg → 1,000 yuan).
    """
    if not math.isfinite(excess_kg):
        raise ValueError(f"excess_kg must be finite, got {excess_kg!r}")
    if excess_kg <= 0:
        return Sanction("none", 0)
    if excess_kg <= rules.warning_max_excess_kg:
        return Sanction("warning", 0)
    ratio = Decimal(repr(float(excess_kg))) / rules.fine_step_kg
    steps = math.floor(ratio) if rules.fine_step_rounding == "floor" else math.ceil(ratio)
    return Sanction("fine", min(steps * rules.fine_per_step_yuan, rules.fine_cap_yuan))


def police_points(gross_kg: float, licensed_kg: float, *, rules: RuleTable = DEFAULT_RULES) -> int:
    """Licence points for 超载 against the licensed (maximum permitted) mass: over by < 30 % → 1, 30 % up to
    < 50 % → 3, ≥ 50 % → 6 (bands from `rules.police_point_bands`); 0 when not over."""
    _check_amount("gross_kg", gross_kg)
    _check_amount("licensed_kg", licensed_kg)
    if licensed_kg == 0:
        raise ValueError("licensed_kg must be positive")
    # Cross-multiplied in exact decimals so a rate of exactly 30 % or 50 % lands in the higher band.
    gross, licensed = Decimal(repr(float(gross_kg))), Decimal(repr(float(licensed_kg)))
    over_x100 = (gross - licensed) * 100
    if over_x100 <= 0:
        return 0
    points = 0
    for threshold, band_points in rules.police_point_bands:
        if over_x100 >= Decimal(repr(float(threshold))) * licensed:
            points = band_points
    return points
