"""Coordinate conversions, geodesics and navigation deep links."""

from __future__ import annotations

from urllib.parse import unquote

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.coords import (
    bd09_to_gcj02,
    bd09_to_gcj02_array,
    bd09_to_wgs84,
    bd09_to_wgs84_array,
    bearing_deg,
    distance_m,
    gcj02_to_bd09,
    gcj02_to_bd09_array,
    gcj02_to_wgs84,
    gcj02_to_wgs84_array,
    in_china,
    nav_links,
    wgs84_to_bd09,
    wgs84_to_bd09_array,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
)

# GCJ-02 of these WGS-84 points, computed separately with an 80-bit long-double implementation.
REFERENCE = [
    ((116.397128, 39.916527), (116.403372494025, 39.917930749246)),
    ((121.4737, 31.2304), (121.478223059277, 31.228457737577)),
    ((113.2644, 23.1291), (113.269729592103, 23.126423339923)),
    ((87.6168, 43.8256), (87.619649949469, 43.826805393111)),
]
OUTSIDE = [(2.3522, 48.8566), (-74.006, 40.7128), (139.6917, 35.6895), (151.2093, -33.8688), (105.0, 60.0)]
china_lon = st.floats(73.5, 134.8)
china_lat = st.floats(18.2, 53.5)


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_wgs84_to_gcj02_reference_points(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)
    assert gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=1e-7)


def test_tiananmen_published_value() -> None:
    assert wgs84_to_gcj02(116.397128, 39.916527) == pytest.approx((116.403370, 39.917930), abs=1e-5)


def test_gcj_offset_is_hundreds_of_metres_in_china() -> None:
    for wgs, _ in REFERENCE:
        assert 100 < distance_m(*wgs, *wgs84_to_gcj02(*wgs)) < 1_000


@pytest.mark.parametrize("point", OUTSIDE)
def test_outside_china_gcj_is_wgs(point: tuple[float, float]) -> None:
    assert not in_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point
    lon, lat = wgs84_to_gcj02_array(np.array([point[0]]), np.array([point[1]]))
    assert (lon[0], lat[0]) == point


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_gcj_round_trip_within_half_a_metre(lon: float, lat: float) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert distance_m(lon, lat, *back) < 0.5


@settings(max_examples=200, deadline=None)
@given(china_lon, china_lat)
def test_bd_round_trips_within_half_a_metre(lon: float, lat: float) -> None:
    assert distance_m(lon, lat, *bd09_to_wgs84(*wgs84_to_bd09(lon, lat))) < 0.5
    assert distance_m(lon, lat, *bd09_to_gcj02(*gcj02_to_bd09(lon, lat))) < 0.5


def test_bd09_shift_is_about_a_kilometre() -> None:
    gcj = REFERENCE[0][1]
    bd = gcj02_to_bd09(*gcj)
    assert 300 < distance_m(*gcj, *bd) < 1_500
    assert bd[0] - gcj[0] == pytest.approx(0.0065, abs=0.001)
    assert bd[1] - gcj[1] == pytest.approx(0.006, abs=0.002)


def test_array_versions_match_scalars() -> None:
    rng = np.random.default_rng(808)
    lon = np.concatenate([rng.uniform(73.5, 134.8, 200), [2.3522, 139.6917]])
    lat = np.concatenate([rng.uniform(18.2, 53.5, 200), [48.8566, 35.6895]])
    pairs = [
        (wgs84_to_gcj02_array, wgs84_to_gcj02), (gcj02_to_wgs84_array, gcj02_to_wgs84),
        (gcj02_to_bd09_array, gcj02_to_bd09), (bd09_to_gcj02_array, bd09_to_gcj02),
        (wgs84_to_bd09_array, wgs84_to_bd09), (bd09_to_wgs84_array, bd09_to_wgs84),
    ]
    for vectorised, scalar in pairs:
        out_lon, out_lat = vectorised(lon, lat)
        expected = np.array([scalar(float(x), float(y)) for x, y in zip(lon, lat, strict=True)])
        np.testing.assert_allclose(out_lon, expected[:, 0], rtol=0, atol=1e-8)
        np.testing.assert_allclose(out_lat, expected[:, 1], rtol=0, atol=1e-8)


def test_distance_of_one_degree_of_latitude() -> None:
    # WGS-84 meridian arc per degree: 110,574.4 m at the equator, 111,693.9 m at the pole.
    assert distance_m(0, 0, 0, 1) == pytest.approx(110_574.4, abs=1)
    assert distance_m(0, 89, 0, 90) == pytest.approx(111_693.9, abs=1)
    assert 110_574 < distance_m(116.4, 39.5, 116.4, 40.5) < 111_694
    assert distance_m(116.4, 39.9, 116.4, 39.9) == 0


@pytest.mark.parametrize(("to", "bearing"),
                         [((0, 1), 0.0), ((1, 0), 90.0), ((0, -1), 180.0), ((-1, 0), 270.0)])
def test_bearing_cardinal_directions(to: tuple[float, float], bearing: float) -> None:
    assert bearing_deg(0, 0, *to) == pytest.approx(bearing, abs=1e-9)


def test_invalid_coordinates_are_rejected() -> None:
    for bad in ((181.0, 0.0), (0.0, 91.0), (float("nan"), 0.0)):
        with pytest.raises(ValueError):
            wgs84_to_gcj02(*bad)
        with pytest.raises(ValueError):
            distance_m(*bad, 0.0, 0.0)


def test_nav_links() -> None:
    lon, lat, name = 116.397128, 39.916527, "治超站 A&B/1"
    links = nav_links(lon, lat, name, app="zc app")
    encoded = "%E6%B2%BB%E8%B6%85%E7%AB%99%20A%26B%2F1"
    assert links["amap_app"] == (
        f"amapuri://route/plan/?sourceApplication=zc%20app&dlat=39.916527&dlon=116.397128&dname={encoded}"
        "&dev=1&t=0")
    assert links["amap_ios"] == (
        f"iosamap://path?sourceApplication=zc%20app&dlat=39.916527&dlon=116.397128&dname={encoded}&dev=1&t=0")
    assert links["amap_web"] == (
        f"https://uri.amap.com/navigation?to=116.403372,39.917931,{encoded}&mode=car&callnative=1")
    assert links["baidu_app"] == (
        f"baidumap://map/direction?destination=latlng:39.916527,116.397128|name:{encoded}"
        "&coord_type=wgs84&mode=driving&src=zc%20app")
    assert links["geo"] == f"geo:39.916527,116.397128?q=39.916527,116.397128({encoded})"
    assert unquote(encoded) == name


def test_nav_links_outside_china_amap_web_is_unshifted() -> None:
    links = nav_links(2.3522, 48.8566, "Paris")
    assert "to=2.352200,48.856600,Paris&" in links["amap_web"]
    assert "src=zhichao" in links["baidu_app"]
