"""A whole task worked in a phone-sized Chromium: live arrival, accept, the task screen with its map, the
interception with a photo, inspection and seizure recorded offline, the partner confirming on their own
phone, the source backtrack; the server then holds every action exactly once, with correct hashes and audit."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
import requests
from playwright.sync_api import expect

from backend.extensions import db
from backend.models import AuditEntry, Evidence, TaskTransition, User
from backend.services import audit
from tests import world
from tests.e2e.test_officer_app import _dispatch, _shot, browser  # noqa: F401 - fixtures and helpers
from tests.integration.test_realtime import live  # noqa: F401 - the running server fixture


@pytest.fixture()
def phones(browser):  # noqa: F811
    where = {"longitude": 113.205, "latitude": 37.705, "accuracy": 7}
    contexts = [browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2, locale="zh-CN",
                                    timezone_id="Asia/Shanghai", geolocation=where, permissions=["geolocation"])
                for _ in range(2)]
    yield [(context, context.new_page()) for context in contexts]
    for context in contexts:
        context.close()


def _login(page, url, username):
    page.goto(f"{url}/app/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", world.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_attribute("data-state", "on")


def _jpeg(page, text):
    """A real JPEG, drawn by the browser, so the thumbnails in the screenshots show something."""
    data = page.evaluate("""(text) => { const c = document.createElement('canvas'); c.width = 640; c.height = 480;
      const g = c.getContext('2d'); g.fillStyle = '#5d7a99'; g.fillRect(0, 0, 640, 480); g.fillStyle = '#ffd600';
      g.fillRect(170, 190, 300, 100); g.fillStyle = '#111'; g.font = 'bold 56px sans-serif';
      g.fillText(text, 190, 260); return c.toDataURL('image/jpeg', 0.8).split(',')[1]; }""", text)
    return base64.b64decode(data)


def _photo(form, kind, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_jpeg(form.page, name.split(".")[0].upper()))
    form.locator(f"input[type=file][data-kind={kind}]:not([data-source])").set_input_files(str(path))
    expect(form.locator("figcaption")).to_have_count(form.locator("figcaption").count() or 1)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _submit_step(page, to):
    form = page.locator(f"form[data-step={to}]")
    form.locator("button[type=submit]").click()
    expect(form).to_have_count(0)


def test_a_whole_task_with_a_stretch_offline(live, phones, tmp_path):  # noqa: F811
    (ctx1, page1), (_ctx2, page2) = phones
    _login(page1, live, "officer1")
    _login(page2, live, "officer2")
    task, token = _dispatch(live)
    card = page1.locator(f"#task-{task['id']}")
    expect(card).to_be_visible(timeout=8000)
    expect(card.locator(".countdown")).to_contain_text("内接单")
    card.locator("button.accept").click()
    expect(card).not_to_have_class(re.compile("queued"))

    card.locator("button.open").click()  # the task screen
    screen = page1.locator("#task")
    expect(screen.locator(".task-head h2")).to_have_text("晋C76276")
    expect(screen.locator(".facts")).to_contain_text("18,000 kg")  # the limit of a two-axle truck
    expect(screen.locator(".distance")).to_contain_text("公里")
    expect(screen.locator("#map")).to_be_visible()
    expect(page1.locator("#update")).to_be_hidden()  # nothing new to install: no prompt
    page1.wait_for_function("document.querySelector('#map.leaflet-container') !== null")
    _shot(page1, "app-task-360")

    screen.locator("button.next[data-to=en_route]").click()
    expect(screen.locator(".task-head")).to_have_attribute("data-status", "en_route", timeout=8000)
    screen.locator("button.next[data-to=intercepted]").click()
    form = screen.locator("form[data-step=intercepted]")
    form.locator("input[name=place]").fill("G207 阳泉收费站")
    plate_sha = _photo(form, "plate", tmp_path, "plate.jpg")
    _shot(page1, "app-intercept-form-360")
    _submit_step(page1, "intercepted")
    expect(screen.locator(".task-head")).to_have_attribute("data-status", "intercepted", timeout=8000)
    expect(page1.locator("#pending")).to_be_hidden(timeout=8000)

    ctx1.set_offline(True)  # the inspection and the seizure happen where there is no signal
    screen.locator("button.next[data-to=inspecting]").click()
    form = screen.locator("form[data-step=inspecting]")
    expect(form.locator("select[name=partner] option")).to_have_count(1)
    form.locator("input[name=credentials_shown]").check()
    form.locator("input[name=driver_name]").fill("张三")
    load_sha = _photo(form, "load", tmp_path, "load.jpg")
    _submit_step(page1, "inspecting")
    expect(screen.locator(".task-head")).to_have_attribute("data-status", "inspecting")
    screen.locator("button[data-to=disposed]").click()
    form = screen.locator("form[data-step=disposed]")
    form.locator("input[value=seized]").check()
    form.locator("input[name=decision_no]").fill("晋阳交扣〔2026〕7号")
    form.locator(".inventory [name=item]").fill("货车")
    form.locator(".inventory [name=quantity]").fill("1")
    form.locator(".inventory [name=unit]").fill("辆")
    form.locator("input[name=party_signed]").check()
    seize_sha = _photo(form, "seizure", tmp_path, "seizure.jpg")
    _shot(page1, "app-seizure-form-360")
    _submit_step(page1, "disposed")
    expect(page1.locator("#pending")).to_contain_text("4")  # two photos, two steps
    _shot(page1, "app-offline-steps-360")
    headers = {"Authorization": f"Bearer {token}"}
    server = requests.get(f"{live}/api/v1/tasks/{task['id']}", headers=headers, timeout=5).json()
    assert server["status"] == "intercepted"  # nothing reached the server while offline

    ctx1.set_offline(False)
    expect(page1.locator("#pending")).to_be_hidden(timeout=15000)
    expect(screen.locator(".task-head")).to_have_attribute("data-status", "disposed", timeout=8000)

    # The partner confirms both two-officer steps on their own phone.
    page2.locator(f"#task-{task['id']} button.open").click()
    confirms = page2.locator("#task .confirm")
    expect(confirms).to_have_count(2, timeout=8000)
    _shot(page2, "app-partner-confirm-360")
    for _ in range(2):
        page2.locator("#task .confirm button").first.click()
        page2.wait_for_timeout(300)
    expect(confirms).to_have_count(0, timeout=8000)

    # The source backtrack: the site, its record, the histories; then open the case.
    backtrack = screen.locator(".backtrack")
    expect(backtrack).to_contain_text("出场", timeout=8000)
    screen.locator("button.next[data-to=source_traced]").click()
    form = screen.locator("form[data-step=source_traced]")
    form.locator("textarea[name=summary]").fill("源头单位放行超限车辆，已立案倒查")
    _submit_step(page1, "source_traced")
    expect(screen.locator(".task-head")).to_have_attribute("data-status", "source_traced", timeout=8000)
    expect(screen.locator(".backtrack")).to_contain_text("DC-")
    _shot(page1, "app-backtrack-360")
    assert page1.evaluate("document.documentElement.scrollWidth") <= 360
    closed = requests.post(f"{live}/api/v1/tasks/{task['id']}/transitions", headers=headers, timeout=5,
                           json={"to": "closed"})
    assert closed.status_code == 200, closed.json()

    with live.app.app_context():
        steps = db.session.query(TaskTransition).filter_by(task_id=task["id"]).order_by(TaskTransition.id).all()
        assert [s.to_status for s in steps] == ["accepted", "en_route", "intercepted", "inspecting", "disposed",
                                                "source_traced", "closed"]  # each exactly once
        photos = {e.kind: e for e in db.session.query(Evidence).filter_by(task_id=task["id"])}
        assert {k: e.sha256 for k, e in photos.items()} == {"plate": plate_sha, "load": load_sha,
                                                            "seizure": seize_sha}
        assert all(e.accuracy_m == 7 for e in photos.values())
        by_step = {s.to_status: s for s in steps}
        assert [e["sha256"] for e in by_step["intercepted"].evidence] == [plate_sha]
        assert by_step["disposed"].details["form"]["inventory"] == [{"item": "货车", "quantity": 1.0, "unit": "辆"}]
        assert len(by_step["inspecting"].officers) == 2 and by_step["inspecting"].accuracy_m == 7
        actions = [a for (a,) in db.session.query(AuditEntry.action).filter(
            AuditEntry.entity == "task", AuditEntry.entity_id == str(task["id"])).order_by(AuditEntry.seq)]
        assert actions.count("evidence.uploaded") == 3 and actions.count("task.step_confirmed") == 2
        assert [a for a in actions if a.startswith("task.") and a != "task.step_confirmed"] == [
            "task.dispatched", *[f"task.{s.to_status}" for s in steps]]
        assert audit.verify().ok
        db.session.remove()


def test_double_taps_and_logging_out_with_items_waiting(live, phones):  # noqa: F811
    (context, page), _ = phones
    _login(page, live, "officer1")
    task, token = _dispatch(live)
    headers = {"Authorization": f"Bearer {token}"}
    card = page.locator(f"#task-{task['id']}")
    expect(card).to_be_visible(timeout=8000)
    context.set_offline(True)
    card.locator("button.accept").dblclick()  # a gloved double tap
    expect(page.locator("#pending")).to_have_text("1 条待发送")
    page.locator("#logout").click()
    expect(page.locator("#notice")).to_contain_text("再次点击")  # items wait: a second tap is needed
    expect(page.locator("#inbox")).to_be_visible()
    page.locator("#logout").click()
    expect(page.locator("#login")).to_be_visible()
    context.set_offline(False)

    _login(page, live, "officer2")  # the partner borrows the phone: officer1's step is not sent in their name
    expect(page.locator("#pending")).to_be_hidden()
    page.wait_for_timeout(1000)
    status = requests.get(f"{live}/api/v1/tasks/{task['id']}", headers=headers, timeout=5).json()["status"]
    assert status == "dispatched"
    page.locator("#logout").click()
    expect(page.locator("#login")).to_be_visible()

    _login(page, live, "officer1")  # back: the step goes out, once
    expect(page.locator("#pending")).to_be_hidden(timeout=10000)
    expect(page.locator(f"#task-{task['id']}")).to_have_attribute("data-status", "accepted", timeout=8000)
    with live.app.app_context():
        officer1 = db.session.query(User.id).filter_by(username="officer1").scalar()
        steps = db.session.query(TaskTransition).filter_by(task_id=task["id"]).all()
        assert [(s.to_status, s.actor_id) for s in steps] == [("accepted", officer1)]  # once, in their name
        db.session.remove()
