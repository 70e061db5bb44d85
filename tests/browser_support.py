"""For the browser tests: the gateway served from a thread on the tests' database and Redis, a
Chromium from Debian's package driven by Playwright (no browser is downloaded), and a market
with a few days of orders, payments, SMS and sessions for the dashboard to show."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy import update
from werkzeug.serving import make_server

from gateway.bootstrap import Services
from gateway.cli.demo import seed
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.outbox import OutboxItem
from tests.payment_support import TOKEN
from tests.payment_support import order
from tests.payment_support import person

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("SOKONI_SCREENSHOTS", "")
"""A folder to copy the screenshots into as well (`docs` refreshes the README's pictures)."""


def browser_tests_can_run() -> tuple[bool, str]:
    """Only on PostgreSQL (CI runs them once, in its PostgreSQL run) with Debian's chromium."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return False, "browser tests run only when DATABASE_URL is PostgreSQL (CI's second run)"
    if not Path(CHROMIUM).exists():
        return False, f"no {CHROMIUM}: apt-get install -y chromium (.ci/run does)"
    return True, ""


class Served:
    """`app` served on a free port from a thread, for as long as the test runs."""

    def __init__(self, app: Flask) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # only the browser tests need it

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture()
def served(app: Flask) -> Iterator[Served]:
    server = Served(app)
    yield server
    server.stop()


def screenshot(page: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    if SCREENSHOTS:
        shutil.copy(path, Path(SCREENSHOTS) / name)
    return path


BUYERS = ("+254711001001", "+254711001002", "+254711001003", "+256772001004", "+254711001005")


def busy_market(services: Services, client: Any, run_outbox: Any, fake_at: Any) -> None:
    """A week of a small market: orders on several days in two countries, most paid, two
    declined; SMS delivered (one failed); sessions that stopped on various screens."""
    seed(services.uow())
    with services.uow() as uow:
        listings = {row.code: row.id for row in uow.session.scalars(select(Listing))}
        country = {row.code: row.country for row in uow.session.scalars(select(Listing))}
    buyers = [person(services, phone) for phone in BUYERS]
    home = {"KE": buyers[:3] + buyers[4:], "UG": buyers[3:4]}
    plan = [("D001", 1), ("D002", 5), ("D004", 2), ("D013", 3), ("D003", 4), ("D008", 6)]
    now = datetime.now(UTC)
    placed = []
    for day in range(7):
        for n, (code, qty) in enumerate(plan[: 2 + day % 4]):
            locals_ = home[country[code]]  # buyers in the seller's country: no border
            buyer = locals_[(day + n) % len(locals_)]
            order_id = order(services, buyer, listings[code], qty + day % 3)
            placed.append((order_id, day, n))
            with services.uow() as uow:
                uow.session.execute(
                    update(Order)
                    .where(Order.id == order_id)
                    .values(created_at=now - timedelta(days=6 - day, hours=n))
                )
                uow.commit()
    run_outbox()
    with services.uow() as uow:
        refs = {o.id: o.ref for o in uow.session.scalars(select(Order))}
    for order_id, day, n in placed:
        result = "insufficient" if (day + n) % 6 == 5 else "approve"
        client.post(f"/payments/sandbox/{TOKEN}", data={"ref": refs[order_id], "result": result})
    run_outbox()
    ids = [i for call in fake_at.received for i in call.message_ids]
    for n, message_id in enumerate(ids):
        report = fake_at.delivery_report(message_id, "Failed" if n % 9 == 4 else "Success")
        client.post("/sms/delivery", data=report)
    stops = ("buy.quantity", "buy.quantity", "buy.delivery", "sell.pin", "buy.confirm", "home.main")
    for n, screen in enumerate(stops * 2):
        client.post(
            "/ussd/events",
            data={
                "sessionId": f"ATUid_busy{n}",
                "status": "Incomplete" if n % 5 else "Success",
                "phoneNumber": BUYERS[n % len(BUYERS)],
                "hopsMetadata": f"home.main|{screen}",
                "date": (now - timedelta(days=n % 4)).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
    with services.uow() as uow:
        uow.session.add(
            OutboxItem(
                topic="sms.send",
                payload={"message_id": 1},
                status="dead",
                attempts=6,
                last_error="ConnectionError: Africa's Talking did not answer",
            )
        )
        uow.commit()
