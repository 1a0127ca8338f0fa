"""GET /api/v1/warnings: each team sees its own, commanders and auditors see all."""

from __future__ import annotations


def _overload(api, site, record_id):
    body = {"record_id": record_id, "plate": "晋C76276", "plate_color": 2, "axles": 2, "gross_kg": 25_000,
            "weighed_at": "2026-11-22T08:00:00+08:00"}
    return api.site(site, body).get_json()["warning_id"]


def test_officers_see_only_their_team(api, ids):
    west, east = _overload(api, "S1", "W-1"), _overload(api, "S2", "W-2")
    seen = {u: {w["id"] for w in api.as_user(u, "GET", "/api/v1/warnings").get_json()}
            for u in ("officer1", "officer3", "commander", "auditor")}
    assert seen["officer1"] == {west} and seen["officer3"] == {east}
    assert seen["commander"] == seen["auditor"] == {west, east}
    # asking for another team's warnings does not widen an officer's view
    assert api.as_user("officer1", "GET", f"/api/v1/warnings?team_id={ids['T2']}").get_json() == []
    assert api.as_user("officer1", "GET", f"/api/v1/warnings/{east}").status_code == 404
    detail = api.as_user("officer3", "GET", f"/api/v1/warnings/{east}").get_json()
    assert detail["team_id"] == ids["T2"] and detail["events"][0]["kind"] == "created"


def test_filters_and_paging(api):
    ids_ = [_overload(api, "S1", f"P-{i}") for i in range(3)]
    page = api.as_user("commander", "GET", "/api/v1/warnings?limit=2").get_json()
    assert [w["id"] for w in page] == ids_[::-1][:2]
    rest = api.as_user("commander", "GET", f"/api/v1/warnings?limit=2&before_id={page[-1]['id']}").get_json()
    assert [w["id"] for w in rest] == [ids_[0]]
    assert api.as_user("commander", "GET", "/api/v1/warnings?status=bogus").status_code == 422
    assert api.as_user("commander", "GET", "/api/v1/warnings?kind=alarm").get_json() == []


def test_warnings_need_login(api):
    assert api.client.get("/api/v1/warnings").status_code == 401
