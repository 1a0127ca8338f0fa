"""Demo traffic: trucks leave the demo sites, some overloaded, and drive the demo routes, via the public API."""

from __future__ import annotations

import json
import random
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate, pairwise
from typing import Any

import requests
from pyproj import Geod

from backend.domain.overload import VehicleKind, gross_limit
from backend.services.demo import DEMO_REGION, FEED_KEY, site_key

_geod = Geod(ellps="WGS84")
FIX_INTERVAL_S = 10.0
GOODS = ("煤", "石料", "水泥", "焦炭", "砂石")


@dataclass
class Route:
    """A polyline with cumulative distances, so a truck's position is a distance along it."""

    name: str
    site: str
    coords: list[tuple[float, float]]
    cumulative: list[float]

    @classmethod
    def from_feature(cls, feature: dict[str, Any]) -> Route:
        coords = [(float(x), float(y)) for x, y in feature["geometry"]["coordinates"]]
        legs = [_geod.inv(a[0], a[1], b[0], b[1])[2] for a, b in pairwise(coords)]
        return cls(feature["properties"]["name"], feature["properties"]["from_site"], coords,
                   [0.0, *accumulate(legs)])

    @property
    def length(self) -> float:
        return self.cumulative[-1]

    def at(self, distance: float) -> tuple[float, float, float]:
        """Longitude, latitude and heading at a distance along the route."""
        i = min(max(bisect_right(self.cumulative, distance) - 1, 0), len(self.coords) - 2)
        (x0, y0), (x1, y1) = self.coords[i], self.coords[i + 1]
        leg = self.cumulative[i + 1] - self.cumulative[i] or 1.0
        t = min(max((distance - self.cumulative[i]) / leg, 0.0), 1.0)
        heading = _geod.inv(x0, y0, x1, y1)[0] % 360
        return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, heading


@dataclass
class Truck:
    """A truck on a route, with an alarm it may be raising."""

    plate: str
    route: Route
    speed_kmh: float
    travelled: float = 0.0
    alarm_flags: int = 0
    alarm_ticks: int = 0


class Simulator:
    """Posts weighings at departure and a fix every 10 simulated seconds for each truck on the road."""

    def __init__(self, url: str, *, trucks: int = 12, speedup: float = 10.0, seed: int = 7,
                 session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.size = trucks
        self.speedup = speedup
        self.rng = random.Random(seed)
        self.http = session or requests.Session()
        routes = json.loads((DEMO_REGION / "routes.geojson").read_text(encoding="utf-8"))["features"]
        self.routes = [Route.from_feature(f) for f in routes]
        self.trucks: list[Truck] = []
        self.stats = {"weighings": 0, "overloaded": 0, "fixes": 0, "alarms": 0}

    def _plate(self) -> str:
        return "晋" + self.rng.choice("ACK") + "".join(self.rng.choice("0123456789") for _ in range(5))

    def depart(self, echo: Callable[[str], None]) -> Truck:
        """A new truck weighs out at a site (overloaded about one time in three) and starts its route."""
        route = self.rng.choice(self.routes)
        axles = self.rng.choice((2, 3, 4, 5, 6, 6, 6))
        kind: VehicleKind = "combination" if axles >= 4 and self.rng.random() < 0.7 else "rigid"
        limit = gross_limit(axles, kind).limit_kg
        overloaded = self.rng.random() < 0.35
        gross = round(limit * (self.rng.uniform(1.04, 1.45) if overloaded else self.rng.uniform(0.75, 0.99)), -1)
        truck = Truck(self._plate(), route, self.rng.uniform(40, 70))
        record_id = f"SIM-{int(time.time() * 1000)}-{self.rng.randrange(10**6)}"
        body: dict[str, Any] = {
            "record_id": record_id, "plate": truck.plate, "plate_color": 2, "axles": axles, "vehicle_kind": kind,
            "gross_kg": gross, "tare_kg": round(gross * 0.3, -1), "weighed_at": datetime.now(UTC).isoformat(),
            "goods": self.rng.choice(GOODS), "scale_id": f"{route.site}-SC1"}
        r = self.http.post(f"{self.url}/api/v1/weighings", json=body, headers={"X-Api-Key": site_key(route.site)},
                           timeout=10)
        r.raise_for_status()
        answer = r.json()
        self.stats["weighings"] += 1
        if answer["overloaded"]:
            self.stats["overloaded"] += 1
            echo(f"{truck.plate} left {route.site} overloaded {answer['excess_pct']}% "
                 f"-> warning {answer['warning_id']}")
        return truck

    def _maybe_alarm(self, truck: Truck) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if truck.alarm_ticks > 0:
            truck.alarm_ticks -= 1
            if truck.alarm_ticks == 0:
                truck.alarm_flags = 0
        elif self.rng.random() < 0.004:
            truck.alarm_flags, truck.alarm_ticks = self.rng.choice((1, 1 << 2, 1 << 3)), 3
            self.stats["alarms"] += 1
        elif self.rng.random() < 0.002:
            extra["adas"] = [{"alarm_id": self.rng.randrange(1, 10**6), "flag": 1, "type": 6, "level": 2,
                              "sign_type": 3}]
            self.stats["alarms"] += 1
        return extra

    def tick(self, echo: Callable[[str], None]) -> int:
        """Advance every truck by one fix interval and post their fixes in one batch."""
        while len(self.trucks) < self.size:
            self.trucks.append(self.depart(echo))
        now = datetime.now(UTC).isoformat()
        batch = []
        for truck in self.trucks:
            truck.travelled += truck.speed_kmh / 3.6 * FIX_INTERVAL_S
            lon, lat, heading = truck.route.at(truck.travelled)
            batch.append({"plate": truck.plate, "plate_color": 2, "lon": round(lon, 6), "lat": round(lat, 6),
                          "speed_kmh": round(truck.speed_kmh, 1), "heading": round(heading, 1), "at": now,
                          "alarm_flags": truck.alarm_flags, "status_flags": 0b1100000011, **self._maybe_alarm(truck)})
        r = self.http.post(f"{self.url}/api/v1/fixes", json=batch, headers={"X-Api-Key": FEED_KEY}, timeout=30)
        r.raise_for_status()
        self.stats["fixes"] += r.json()["accepted"]
        self.trucks = [t for t in self.trucks if t.travelled < t.route.length]
        return len(batch)

    def run(self, duration_s: float | None, echo: Callable[[str], None] = print) -> dict[str, int]:
        """Tick until the duration has passed (forever when None); returns the counts."""
        started = time.monotonic()
        echo(f"simulating {self.size} trucks on {len(self.routes)} routes against {self.url} (x{self.speedup})")
        try:
            while duration_s is None or time.monotonic() - started < duration_s:
                tick_started = time.monotonic()
                self.tick(echo)
                time.sleep(max(0.0, FIX_INTERVAL_S / self.speedup - (time.monotonic() - tick_started)))
        except KeyboardInterrupt:
            pass
        echo(f"done: {self.stats}")
        return self.stats
