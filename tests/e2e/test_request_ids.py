"""JSON logs: one request id follows a USSD order from the hop that placed it, through the
outbox jobs it caused, to the receipt SMS handed to Africa's Talking; phone numbers are masked
and LOG_FORMAT=text keeps readable lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

from config.logs import JsonFormatter
from config.logs import formatter
from gateway.app import create_app
from tests.observability_support import order_by_ussd

pytestmark = pytest.mark.usefixtures("sandbox_only")

BUYER = "+254711000961"


@pytest.fixture()
def json_lines() -> Iterator[io.StringIO]:
    """Every log record of the test, written as the JSON formatter writes it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def test_one_request_id_follows_a_ussd_order_from_the_hop_to_the_receipt_sms(
    services, fake_at, run_outbox, json_lines
):
    app = create_app(replace(services.settings, LOG_FORMAT="json"))
    app.extensions["sokoni"] = services
    placed = order_by_ussd(services, app.test_client(), BUYER)
    run_outbox()
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    followed = [line["message"] for line in lines if line["request_id"] == placed.request_id]
    assert any(m.startswith("POST /ussd 200") for m in followed)
    assert any("order.placed: done" in m for m in followed)
    assert any("payment.request: done" in m for m in followed)
    assert any("sms.receipt: done" in m for m in followed)  # one call may carry many rows
    assert BUYER in fake_at.recipients()
    assert all(BUYER not in json.dumps(line) for line in lines)
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[0])


def test_the_text_format_keeps_todays_readable_line():
    record = logging.LogRecord("sokoni", logging.INFO, __file__, 1, "hop for %s", ("x",), None)
    assert formatter("text").format(record).endswith("INFO sokoni: hop for x")


def test_a_request_id_never_outlives_its_request_even_one_made_inside_another(services, client):
    from config.logs import request_id
    from tests.simulator_support import SimulatedPhone

    SimulatedPhone(client, "+254711000962").dial()  # the simulator's hop is a nested request
    assert request_id() is None
