"""The officer app in a real Chromium at 360×800: log in, a dispatched task appears live, accept it; offline shell."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from tests import world
from tests.integration.test_realtime import live  # noqa: F401 - the running server fixture

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    yield context, page
    context.close()


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _dispatch(url):
    r = requests.post(f"{url}/api/v1/weighings", headers={"X-Api-Key": world.SITE_KEYS["S1"]}, timeout=5,
                      json={"record_id": f"E2E-{uuid.uuid4().hex[:8]}", "plate": "晋C76276", "plate_color": 2,
                            "axles": 2, "gross_kg": 25_000, "weighed_at": "2026-11-22T08:00:00+08:00"})
    token = requests.post(f"{url}/api/v1/auth/login", timeout=5,
                          json={"username": "commander", "password": world.PASSWORD}).json()["access_token"]
    return requests.post(f"{url}/api/v1/tasks", json={"warning_id": r.json()["warning_id"]}, timeout=5,
                         headers={"Authorization": f"Bearer {token}"}).json(), token


def test_task_arrives_live_and_is_accepted(live, phone):  # noqa: F811
    _context, page = phone
    page.goto(f"{live}/app/")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.get_attribute("input[name=username]", "autocomplete") == "username"
    assert page.get_attribute("input[name=password]", "autocomplete") == "current-password"
    _shot(page, "app-login-360")
    page.fill("input[name=username]", "officer1")
    page.fill("input[name=password]", world.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#inbox")).to_be_visible()
    expect(page.locator("#conn")).to_have_attribute("data-state", "on")
    expect(page.locator("#duty")).to_be_checked()
    me = {"Authorization": f"Bearer {page.evaluate('sessionStorage.token')}"}

    def on_duty():
        return requests.get(f"{live}/api/v1/auth/me", headers=me, timeout=5).json()["on_duty"]

    with page.expect_response("**/api/v1/push/duty"):
        page.locator("#duty").uncheck()
    assert on_duty() is False
    with page.expect_response("**/api/v1/push/duty"):
        page.locator("#duty").check()
    assert on_duty() is True
    task, token = _dispatch(live)
    card = page.locator(f"#task-{task['id']}")
    expect(card).to_be_visible(timeout=8000)  # pushed over Socket.IO, no reload
    expect(card).to_have_attribute("data-status", "dispatched")
    _shot(page, "app-inbox-360")
    card.locator("button.accept").click()
    expect(card).to_have_attribute("data-status", "accepted")
    expect(card).not_to_have_class(re.compile("queued"))
    amap = card.locator("a[data-app=amap_app]").get_attribute("href")
    lon, lat = task["intercept_at"]
    assert "dev=1" in amap and f"dlat={lat:.6f}" in amap and f"dlon={lon:.6f}" in amap
    assert card.locator("a[data-app=geo]").get_attribute("href").startswith(f"geo:{lat:.6f},{lon:.6f}")
    _shot(page, "app-accepted-360")
    card.locator("button.next").click()
    expect(card).to_have_attribute("data-status", "en_route")
    expect(card).not_to_have_class(re.compile("queued"))
    server = requests.get(f"{live}/api/v1/tasks/{task['id']}", headers={"Authorization": f"Bearer {token}"},
                          timeout=5).json()
    assert server["status"] == "en_route"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing overflows the phone


def test_manifest_and_offline_shell(live, phone):  # noqa: F811
    context, page = phone
    manifest = requests.get(f"{live}/app/manifest.webmanifest", timeout=5)
    body = manifest.json()
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    assert body["display"] == "standalone" and body["lang"] == "zh-CN"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    page.goto(f"{live}/app/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which has cached the shell
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.reload()
    expect(page.locator("#login-form")).to_be_visible()
    _shot(page, "app-offline-360")


def _accept_then_queue_offline(url, context, page, username):
    """Log in, receive a dispatched task, accept it online, then queue "set off" with the network cut."""
    page.goto(f"{url}/app/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", world.PASSWORD)
    page.click("button[type=submit]")
    task, token = _dispatch(url)
    card = page.locator(f"#task-{task['id']}")
    expect(card).to_be_visible(timeout=8000)
    card.locator("button.accept").click()
    expect(card).to_have_attribute("data-status", "accepted")
    expect(card).not_to_have_class(re.compile("queued"))  # the server has it (the phone shows steps at once)
    context.set_offline(True)
    card.locator("button.next").click()
    expect(page.locator("#pending")).to_be_visible()
    return task, token, card


def test_offline_actions_wait_in_the_outbox_and_apply_once(live, phone):  # noqa: F811
    context, page = phone
    task, token, card = _accept_then_queue_offline(live, context, page, "officer2")
    expect(page.locator("#pending")).to_contain_text("1")
    _shot(page, "app-offline-pending-360")
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{live}/api/v1/tasks/{task['id']}", headers=headers, timeout=5).json()["status"] == "accepted"
    context.set_offline(False)
    expect(card).to_have_attribute("data-status", "en_route", timeout=10000)
    expect(page.locator("#pending")).to_be_hidden()
    events = requests.get(f"{live}/api/v1/events?since=0", headers=headers, timeout=5).json()["events"]
    en_route = [e for e in events if e["event"] == "task.updated" and e["data"]["id"] == task["id"]
                and e["data"]["status"] == "en_route"]
    assert len(en_route) == 1  # applied exactly once


def test_task_reassigned_while_offline_is_explained(live, phone):  # noqa: F811
    context, page = phone
    task, token, card = _accept_then_queue_offline(live, context, page, "officer1")
    team2 = requests.post(f"{live}/api/v1/auth/login", timeout=5,
                          json={"username": "officer3", "password": world.PASSWORD}).json()["user"]["team_id"]
    r = requests.post(f"{live}/api/v1/tasks/{task['id']}/transitions", timeout=5,
                      headers={"Authorization": f"Bearer {token}"},
                      json={"to": "dispatched", "team_id": team2, "reason": "改派"})
    assert r.status_code == 200
    context.set_offline(False)
    expect(page.locator("#pending")).to_be_hidden(timeout=10000)
    expect(card).to_have_count(0)
    expect(page.locator("#notice")).to_contain_text("改派")  # said plainly, in the page (no blocking alert)
    _shot(page, "app-reassigned-360")
    server = requests.get(f"{live}/api/v1/tasks/{task['id']}", headers={"Authorization": f"Bearer {token}"},
                          timeout=5).json()
    assert server["status"] == "dispatched" and server["team_id"] == team2  # the queued step was not applied


def test_the_landing_page_leads_officers_to_their_app(live, phone):  # noqa: F811
    _context, page = phone
    page.goto(f"{live}/")
    link = page.locator("a[href='/app/']")
    expect(link).to_contain_text("执法人员手机端")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    _shot(page, "landing-360")
    page.click("#lang")
    expect(link).to_contain_text("Officer app")
    link.click()
    page.wait_for_url(re.compile(r"/app/$"))
    expect(page.locator("input[name=username]")).to_be_visible()
