"""A buyer's whole USSD order, placed and paid in the sandbox, with the receipt SMS sent to the
fake Africa's Talking: what the metrics and log tests watch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from gateway.bootstrap import Services
from gateway.cli.demo import seed
from tests.conftest import Phone
from tests.journeys_support import choose
from tests.journeys_support import walk_to_maize
from tests.payment_support import TOKEN


@dataclass(frozen=True)
class Placed:
    ref: str
    request_id: str
    """The request id of the hop that placed the order."""


def order_by_ussd(services: Services, client: FlaskClient, number: str) -> Placed:
    """Walk to the confirm screen and confirm; returns the order and the last hop's id."""
    seed(services.uow())
    handset = Phone(client, number)
    delivery = walk_to_maize(handset).strip() and handset.send("2")
    if "Confirm" not in delivery:
        handset.send(choose(delivery, "Collect from the seller"))
    handset.inputs.append("1")
    response = client.post(
        "/ussd",
        data={
            "sessionId": handset.session_id,
            "serviceCode": "*384*123#",
            "phoneNumber": number,
            "networkCode": "63902",
            "text": "*".join(handset.inputs),
        },
    )
    body = response.get_data(as_text=True)
    assert body.startswith("END Order "), body
    return Placed(body.split()[2].rstrip(":"), response.headers["X-Request-Id"])


def pay(client: FlaskClient, ref: str) -> Any:
    """The sandbox wallet approves the order's payment."""
    answer = client.post(f"/payments/sandbox/{TOKEN}", data={"ref": ref, "result": "approve"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer
