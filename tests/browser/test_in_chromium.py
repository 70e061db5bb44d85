"""In a real browser (Debian's Chromium driven by Playwright): an operator signs in and sees
the overview's charts, retries a dead letter; a developer walks a whole purchase in the phone
simulator and sees the receipt SMS arrive. Screenshots go to the test's temp dir."""

from __future__ import annotations

import re

import pytest

from gateway.store.models.outbox import OutboxItem
from tests.admin_support import PASSWORD
from tests.admin_support import create_user
from tests.browser_support import browser  # noqa: F401  (the browser fixture)
from tests.browser_support import browser_tests_can_run
from tests.browser_support import busy_market
from tests.browser_support import screenshot
from tests.browser_support import served  # noqa: F401  (the server fixture)
from tests.journeys_support import choose
from tests.journeys_support import walk_to_maize

can_run, why_not = browser_tests_can_run()
pytestmark = [
    pytest.mark.skipif(not can_run, reason=why_not),
    pytest.mark.usefixtures("sandbox_only"),
]


def _signed_in(browser, served, app, email: str):  # noqa: F811
    assert create_user(app, email, "operator").exit_code == 0
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served.url}/admin/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_an_operator_signs_in_sees_the_charts_and_retries_a_dead_letter(
    browser,  # noqa: F811
    served,  # noqa: F811
    app,
    services,
    client,
    run_outbox,
    fake_at,
    tmp_path,
):
    busy_market(services, client, run_outbox, fake_at)
    page = _signed_in(browser, served, app, "amina@sokoni.example")
    assert page.locator("h1").inner_text().startswith("Overview")
    assert page.locator(".card svg").count() >= 6
    assert "Orders per day" in page.content()
    shot = screenshot(page, tmp_path, "admin-overview.png")
    assert shot.stat().st_size > 10_000
    page.click("header >> text=Dead letters")
    page.click("button:has-text('Retry')")
    assert re.search(r"outbox row \d+ \(sms.send\) queued again", page.inner_text(".flash"))
    with services.uow() as uow:
        assert not uow.session.query(OutboxItem).filter_by(status="dead").count()
    page.close()


class BrowserPhone:
    """The simulator's handset in the browser, shaped like a handset for the journey helpers."""

    def __init__(self, page, number: str) -> None:
        self.page = page
        self.number = number

    def screen(self) -> str:
        return self.page.inner_text("#screen")

    def dial(self) -> str:
        self.page.fill("#number", self.number)
        self.page.click("#dial")
        return self.screen()

    def send(self, value: str) -> str:
        self.page.fill("#reply", value)
        self.page.click("#send")
        return self.screen()


def test_a_whole_purchase_in_the_simulator_ends_with_the_receipt_sms(
    browser,  # noqa: F811
    served,  # noqa: F811
    services,
    run_outbox,
    fake_at,
    tmp_path,
):
    from gateway.cli.demo import seed

    seed(services.uow())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served.url}/simulator/")
    phone = BrowserPhone(page, "+254711002001")
    walk_to_maize(phone)
    assert "/160 characters (GSM-7)" in page.inner_text("#count")
    screen = phone.send("2")
    if "Confirm" not in screen:
        phone.send(choose(screen, "Collect from the seller"))
    placed = phone.send("1")
    assert placed.startswith("END Order "), placed
    ref = placed.split()[2].rstrip(":")
    run_outbox()  # the worker asks the sandbox wallet
    page.click("#refresh")
    page.click("#pay-approve")
    assert "HTTP 200" in page.inner_text("#said")
    run_outbox()  # the callback is checked and applied; the receipt goes out
    page.goto(f"{served.url}/simulator/")
    assert f"received for order {ref}" in page.inner_text("#inbox")
    screenshot(page, tmp_path, "simulator.png")
    page.close()
