"""The service worker's other duties, in Chromium: a pushed task becomes a notification (delivered through
DevTools, since the public push services cannot be reached here), and a new version of the app is offered
on the inbox, never over an open task, and installed (old caches purged) only when the officer says so."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from backend import web
from tests.e2e.test_field_work import _login
from tests.e2e.test_officer_app import _dispatch, _shot, browser  # noqa: F401 - fixtures and helpers
from tests.integration.test_realtime import live  # noqa: F401 - the running server fixture


def _phone(browser, *permissions):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN",
                                  permissions=list(permissions))
    return context, context.new_page()


def _until(page, script, timeout_s=8.0):
    """Evaluate `script` (which may return a promise) until it is truthy; fail after the timeout.
    (page.wait_for_function treats a returned promise as truthy at once, so it cannot wait on one.)"""
    for _ in range(int(timeout_s * 10)):
        value = page.evaluate(script)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def _registration_id(page):
    cdp = page.context.new_cdp_session(page)
    found = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for _ in range(50):
        if found:
            break
        page.wait_for_timeout(100)
    return cdp, next(r["registrationId"] for r in found if r["scopeURL"].endswith("/app/"))


def test_a_pushed_task_becomes_a_notification(live, browser):  # noqa: F811
    context, page = _phone(browser, "notifications")
    _login(page, live, "officer3")
    cdp, registration = _registration_id(page)
    task, _token = _dispatch(live)
    payload = {"type": "task.created", "task_id": task["id"], "title": "晋C76276 超限 38.89%"}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": live, "registrationId": registration,
                                                  "data": json.dumps(payload, ensure_ascii=False)})
    shown = _until(page, """navigator.serviceWorker.ready.then((r) => r.getNotifications())
        .then((list) => list.map((n) => ({ title: n.title, tag: n.tag, data: n.data, sticky: n.requireInteraction })))
        .then((list) => list.length && list)""")
    assert shown == [{"title": payload["title"], "tag": f"task-{task['id']}", "data": {"task_id": task["id"]},
                      "sticky": True}]
    context.close()


def test_a_new_version_is_offered_on_the_inbox_and_installed_on_request(live, browser, monkeypatch):  # noqa: F811
    context, page = _phone(browser)
    _login(page, live, "officer2")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    old = page.evaluate("caches.keys()")
    assert old == [f"zhichao-app-{web.shell_version()}"]
    task, _token = _dispatch(live)
    expect(page.locator(f"#task-{task['id']}")).to_be_visible(timeout=8000)
    page.locator(f"#task-{task['id']} button.open").click()
    expect(page.locator("#task .task-head")).to_be_visible()

    monkeypatch.setattr(web, "shell_version", lambda: "feedfacecafebeef")  # the server now has a new release
    page.evaluate("navigator.serviceWorker.getRegistration('/app/').then((r) => r.update())")
    _until(page, "navigator.serviceWorker.getRegistration('/app/').then((r) => r.waiting !== null)")
    page.wait_for_timeout(300)
    expect(page.locator("#update")).to_be_hidden()  # a task is open: no prompt, no reload
    page.locator("#back").click()
    expect(page.locator("#update")).to_be_visible()
    _shot(page, "app-update-offered-360")
    with page.expect_navigation():
        page.locator("#update-now").click()
    _until(page, "caches.keys().then((keys) => keys.length === 1 && keys[0].endsWith('feedfacecafebeef'))")
    expect(page.locator("#inbox")).to_be_visible()  # still logged in after the reload
    assert page.evaluate("sessionStorage.getItem('user')") is not None  # the same session, no second login
    context.close()
