"""WGS-84 / GCJ-02 / BD-09 conversions, geodesic distance and bearing, and navigation-app deep links."""

from __future__ import annotations

import math
from urllib.parse import quote

import numpy as np
import numpy.typing as npt
from pyproj import Geod

FloatArray = npt.NDArray[np.float64]

# GCJ-02 is defined on the Krasovsky 1940 ellipsoid.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
# Rough mainland-China box used by every public GCJ-02 implementation. It also covers Taiwan, Hong Kong, Macau
# and border strips of neighbouring countries, which are therefore shifted too; outside it GCJ-02 == WGS-84.
_CHINA_LON = (72.004, 137.8347)
_CHINA_LAT = (0.8293, 55.8271)
_INVERSE_TOLERANCE_DEG = 1e-7
_MAX_ITERATIONS = 30

_GEOD = Geod(ellps="WGS84")


def in_china(lon: float, lat: float) -> bool:
    """True inside the rough box lon 72.004..137.8347, lat 0.8293..55.8271 where GCJ-02 applies."""
    return _CHINA_LON[0] <= lon <= _CHINA_LON[1] and _CHINA_LAT[0] <= lat <= _CHINA_LAT[1]


def _check(lon: float, lat: float) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"invalid coordinate lon={lon!r} lat={lat!r}")


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS-84 in degrees at a WGS-84 point inside China."""
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    wave = (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + wave
             + (20.0 * math.sin(y * pi) + 40.0 * math.sin(y / 3.0 * pi)) * 2.0 / 3.0
             + (160.0 * math.sin(y / 12.0 * pi) + 320.0 * math.sin(y * pi / 30.0)) * 2.0 / 3.0)
    d_lon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + wave
             + (20.0 * math.sin(x * pi) + 40.0 * math.sin(x / 3.0 * pi)) * 2.0 / 3.0
             + (150.0 * math.sin(x / 12.0 * pi) + 300.0 * math.sin(x / 30.0 * pi)) * 2.0 / 3.0)
    # Scale metres-like offsets into degrees with the Krasovsky meridian and prime-vertical radii.
    rad_lat = lat / 180.0 * pi
    w = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_w = math.sqrt(w)
    d_lat = d_lat * 180.0 / ((_A * (1.0 - _EE)) / (w * sqrt_w) * pi)
    d_lon = d_lon * 180.0 / (_A / sqrt_w * math.cos(rad_lat) * pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 to GCJ-02 (the obfuscation of Chinese maps); identity outside the China box (see `in_china`)."""
    _check(lon, lat)
    if not in_china(lon, lat):
        return lon, lat
    d_lon, d_lat = _offset(lon, lat)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to WGS-84 by fixed-point iteration of the forward transform until a step is < 1e-7° (~1 cm)."""
    _check(lon, lat)
    if not in_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(_MAX_ITERATIONS):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        if max(abs(e_lon), abs(e_lat)) < _INVERSE_TOLERANCE_DEG:
            break
    return w_lon, w_lat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to Baidu BD-09 (a further polar-coordinate shift applied everywhere)."""
    _check(lon, lat)
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 to GCJ-02: the usual closed-form approximation refined by iteration to an exact inverse of
    `gcj02_to_bd09` (step < 1e-7°)."""
    _check(lon, lat)
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    g_lon, g_lat = z * math.cos(theta), z * math.sin(theta)
    for _ in range(_MAX_ITERATIONS):
        b_lon, b_lat = gcj02_to_bd09(g_lon, g_lat)
        e_lon, e_lat = b_lon - lon, b_lat - lat
        g_lon, g_lat = g_lon - e_lon, g_lat - e_lat
        if max(abs(e_lon), abs(e_lat)) < _INVERSE_TOLERANCE_DEG:
            break
    return g_lon, g_lat


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 to BD-09 via GCJ-02."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 to WGS-84 via GCJ-02."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def _in_china_array(lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.bool_]:
    return (lon >= _CHINA_LON[0]) & (lon <= _CHINA_LON[1]) & (lat >= _CHINA_LAT[0]) & (lat <= _CHINA_LAT[1])


def wgs84_to_gcj02_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised `wgs84_to_gcj02` over equal-shaped arrays (same formula, same China box)."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    x, y, pi = lon - 105.0, lat - 35.0, np.pi
    wave = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + wave
             + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
             + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0)
    d_lon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + wave
             + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
             + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0)
    rad_lat = lat / 180.0 * pi
    w = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_w = np.sqrt(w)
    d_lat = d_lat * 180.0 / ((_A * (1.0 - _EE)) / (w * sqrt_w) * pi)
    d_lon = d_lon * 180.0 / (_A / sqrt_w * np.cos(rad_lat) * pi)
    inside = _in_china_array(lon, lat)
    return np.where(inside, lon + d_lon, lon), np.where(inside, lat + d_lat, lat)


def gcj02_to_wgs84_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised `gcj02_to_wgs84`: iterate until every point's step is < 1e-7°."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    inside = _in_china_array(lon, lat)
    w_lon, w_lat = lon.copy(), lat.copy()
    for _ in range(_MAX_ITERATIONS):
        g_lon, g_lat = wgs84_to_gcj02_array(w_lon, w_lat)
        e_lon, e_lat = np.where(inside, g_lon - lon, 0.0), np.where(inside, g_lat - lat, 0.0)
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        if e_lon.size == 0 or max(np.abs(e_lon).max(), np.abs(e_lat).max()) < _INVERSE_TOLERANCE_DEG:
            break
    return w_lon, w_lat


def gcj02_to_bd09_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised `gcj02_to_bd09`."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised `bd09_to_gcj02` (closed-form start, iterated until every step is < 1e-7°)."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    x, y = lon - 0.0065, lat - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    g_lon, g_lat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(_MAX_ITERATIONS):
        b_lon, b_lat = gcj02_to_bd09_array(g_lon, g_lat)
        e_lon, e_lat = b_lon - lon, b_lat - lat
        g_lon, g_lat = g_lon - e_lon, g_lat - e_lat
        if e_lon.size == 0 or max(np.abs(e_lon).max(), np.abs(e_lat).max()) < _INVERSE_TOLERANCE_DEG:
            break
    return g_lon, g_lat


def wgs84_to_bd09_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised `wgs84_to_bd09`."""
    return gcj02_to_bd09_array(*wgs84_to_gcj02_array(lon, lat))


def bd09_to_wgs84_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised `bd09_to_wgs84`."""
    return gcj02_to_wgs84_array(*bd09_to_gcj02_array(lon, lat))


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres on the WGS-84 ellipsoid (Karney's algorithm via pyproj)."""
    _check(lon1, lat1)
    _check(lon2, lat2)
    return float(_GEOD.inv(lon1, lat1, lon2, lat2)[2])


def bearing_deg(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Initial geodesic bearing from point 1 to point 2, degrees clockwise from north in [0, 360)."""
    _check(lon1, lat1)
    _check(lon2, lat2)
    azimuth = float(_GEOD.inv(lon1, lat1, lon2, lat2)[0]) % 360.0
    # -0.0 % 360 and tiny negatives can give exactly 360.0.
    return 0.0 if azimuth >= 360.0 else azimuth


def destination(lon: float, lat: float, bearing: float, distance: float) -> tuple[float, float]:
    """The point `distance` metres from (lon, lat) along the geodesic with initial bearing `bearing` degrees."""
    _check(lon, lat)
    to_lon, to_lat, _ = _GEOD.fwd(lon, lat, bearing, distance)
    return float(to_lon), float(to_lat)


def nav_links(lon: float, lat: float, name: str, app: str = "zhichao") -> dict[str, str]:
    """Navigation hand-off links to a WGS-84 destination, 6 decimals, name and app URL-encoded.

    Amap app links say dev=1 (coordinates are WGS-84, Amap converts), Baidu says coord_type=wgs84, the geo:
    URI is WGS-84 by definition; only the Amap web link has no such switch, so it gets GCJ-02 coordinates.
    """
    _check(lon, lat)
    n, a = quote(name, safe=""), quote(app, safe="")
    la, lo = f"{lat:.6f}", f"{lon:.6f}"
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    return {
        "amap_app": f"amapuri://route/plan/?sourceApplication={a}&dlat={la}&dlon={lo}&dname={n}&dev=1&t=0",
        "amap_ios": f"iosamap://path?sourceApplication={a}&dlat={la}&dlon={lo}&dname={n}&dev=1&t=0",
        "amap_web": f"https://uri.amap.com/navigation?to={g_lon:.6f},{g_lat:.6f},{n}&mode=car&callnative=1",
        "baidu_app": (f"baidumap://map/direction?destination=latlng:{la},{lo}|name:{n}"
                      f"&coord_type=wgs84&mode=driving&src={a}"),
        "geo": f"geo:{la},{lo}?q={la},{lo}({n})",
    }
