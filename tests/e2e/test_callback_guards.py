"""Who may call: Africa's Talking's callbacks only with the path token and from the allowed
networks (behind a trusted proxy too), payment callbacks with the current or previous token,
refused callbacks counted and kept small, and no body larger than the limit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.bootstrap import Services
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsInbound
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.ussd import UssdSessionEvent
from gateway.web import guards
from tests.payment_support import TOKEN
from tests.sms_support import Texter
from tests.sms_support import rows

AT_TOKEN = "at-token-" + "t" * 34
OLD_AT_TOKEN = "old-at-token-" + "o" * 30
CUSTOMER = "+254711000901"
HOP = {
    "sessionId": "ATUid_guard_1",
    "serviceCode": "*384*123#",
    "phoneNumber": CUSTOMER,
    "networkCode": "63902",
    "text": "",
}
REPORT = {"id": "ATXid_guard", "status": "Success", "phoneNumber": CUSTOMER, "networkCode": "63902"}
SESSION_END = {
    "date": "2026-11-29 10:15:42",
    "sessionId": "ATUid_guard_1",
    "serviceCode": "*384*123#",
    "networkCode": "63902",
    "phoneNumber": CUSTOMER,
    "status": "Incomplete",
    "cost": "KES 0.10",
    "durationInMillis": "48211",
    "hopsCount": "1",
    "hopsMetadata": "home.language",
    "input": "",
    "lastAppResponse": "CON Choose language",
}


def _inbound(text: str = "YES", at_id: str = "ATXinb_guard_1") -> dict[str, str]:
    return Texter(None, CUSTOMER).form(text, at_id)  # type: ignore[arg-type]


@pytest.fixture()
def configured(services: Services, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`configured(**settings)`: an app (built anew, for settings read at start) whose services
    use these settings until the test ends."""

    def build(**settings: object) -> Flask:
        monkeypatch.setattr(services, "settings", replace(services.settings, **settings))
        app = create_app(services.settings)
        app.extensions["sokoni"] = services
        app.testing = True
        return app

    return build


@pytest.fixture()
def at_token(configured) -> Flask:  # type: ignore[no-untyped-def]
    """Africa's Talking's callbacks carry AT_TOKEN (and OLD_AT_TOKEN while it rotates out)."""
    return configured(AT_CALLBACK_TOKEN=AT_TOKEN, AT_CALLBACK_TOKEN_PREVIOUS=OLD_AT_TOKEN)


def _refused(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["security", "refused"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("at_token")
@pytest.mark.parametrize(
    ("path", "form", "model"),
    [
        ("/sms/inbound", _inbound(), SmsInbound),
        ("/sms/delivery", REPORT, SmsDeliveryReport),
        ("/ussd/events", SESSION_END, UssdSessionEvent),
    ],
    ids=["inbound sms", "delivery report", "session end"],
)
def test_a_callback_without_the_token_answers_404_and_changes_nothing(
    services: Services, client: FlaskClient, path: str, form: dict[str, str], model: type
) -> None:
    for forged in (path, f"{path}/guessed", f"{path}/{AT_TOKEN}x"):
        assert client.post(forged, data=form).status_code == 404, forged
    assert rows(services, model) == []
    assert client.post(f"{path}/{AT_TOKEN}", data=form).status_code == 200
    assert len(rows(services, model)) == 1


@pytest.mark.usefixtures("at_token")
def test_a_ussd_hop_without_the_token_shows_nobody_anything(client: FlaskClient) -> None:
    forged = client.post("/ussd", data=HOP)
    assert forged.status_code == 404 and b"CON" not in forged.data
    answered = client.post(f"/ussd/{AT_TOKEN}", data=HOP)
    assert answered.status_code == 200 and answered.data.startswith(b"CON ")


@pytest.mark.usefixtures("at_token")
def test_the_previous_token_still_works_while_it_rotates_out(
    services: Services, client: FlaskClient
) -> None:
    assert client.post(f"/sms/inbound/{OLD_AT_TOKEN}", data=_inbound()).status_code == 200
    assert len(rows(services, SmsInbound)) == 1


def test_without_a_token_set_the_bare_paths_work_and_token_paths_do_not_exist(
    services: Services, client: FlaskClient
) -> None:
    assert client.post("/sms/inbound", data=_inbound()).status_code == 200
    assert client.post(f"/sms/inbound/{AT_TOKEN}", data=_inbound(at_id="2")).status_code == 404
    assert client.post("/ussd", data=HOP).data.startswith(b"CON ")
    assert len(rows(services, SmsInbound)) == 1


@pytest.mark.usefixtures("at_token")
def test_refused_callbacks_are_counted_for_operators(at_token: Flask) -> None:
    app, client = at_token, at_token.test_client()
    for _ in range(3):
        client.post("/sms/inbound", data=_inbound())
    client.post("/ussd/guessed", data=HOP)
    assert "\tsms.inbound token\t3" in _refused(app)
    assert "\tussd.hop token\t1" in _refused(app)


def test_a_callback_from_outside_the_allowed_networks_answers_403(
    services: Services, configured
) -> None:
    app = configured(AT_ALLOWED_NETWORKS="196.201.214.0/24, 2c0f:fe38::/32")
    client = app.test_client()
    outsider = client.post("/sms/inbound", data=_inbound())
    inside = {"REMOTE_ADDR": "196.201.214.200"}
    assert outsider.status_code == 403
    assert client.post("/sms/inbound", data=_inbound(), environ_base=inside).status_code == 200
    assert len(rows(services, SmsInbound)) == 1
    assert "\tsms.inbound network\t1" in _refused(app)


def test_behind_one_trusted_proxy_the_forwarded_address_decides(
    services: Services, configured
) -> None:
    client = configured(AT_ALLOWED_NETWORKS="196.201.214.0/24", TRUSTED_PROXIES=1).test_client()

    def post(forwarded: str, at_id: str) -> int:
        headers = {"X-Forwarded-For": forwarded}
        return client.post("/sms/inbound", data=_inbound(at_id=at_id), headers=headers).status_code

    assert post("196.201.214.7", "1") == 200
    assert post("203.0.113.9", "2") == 403
    assert post("196.201.214.7, 203.0.113.9", "3") == 403  # only the proxy's own hop is believed
    assert len(rows(services, SmsInbound)) == 1


def test_the_allowed_network_is_checked_before_the_token(configured) -> None:
    client = configured(AT_ALLOWED_NETWORKS="10.9.0.0/16", AT_CALLBACK_TOKEN=AT_TOKEN).test_client()
    assert client.post(f"/sms/inbound/{AT_TOKEN}", data=_inbound()).status_code == 403
    assert client.post("/sms/inbound/guessed", data=_inbound()).status_code == 403


def test_a_payment_callback_with_a_wrong_token_keeps_at_most_2_kb_of_its_body(
    services: Services, client: FlaskClient, sandbox_only: None
) -> None:
    body = {"Body": {"stkCallback": {"CheckoutRequestID": "ws_CO_1", "pad": "x" * 9000}}}
    assert client.post("/payments/mpesa/guessed", json=body).status_code == 403
    [forged] = rows(services, PaymentCallback)
    assert forged.verdict == "forged" and len(forged.body) == guards.KEPT_BODY


def test_forged_payment_callbacks_past_the_hourly_limit_are_counted_not_stored(
    services: Services, app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guards, "KEPT_PER_HOUR", 2)
    for _ in range(5):
        assert client.post("/payments/momo/guessed", json={"status": "x"}).status_code == 403
    assert len(rows(services, PaymentCallback)) == 2
    assert "\tpayments.momo token\t5" in _refused(app)


def test_the_previous_payment_token_is_accepted_while_it_rotates_out(configured) -> None:
    client = configured(CALLBACK_TOKEN="new-" + TOKEN, CALLBACK_TOKEN_PREVIOUS=TOKEN).test_client()
    body = {"ref": "NOSUCH", "result": "approve"}
    assert client.post(f"/payments/sandbox/{TOKEN}", json=body).status_code == 404
    assert client.post(f"/payments/sandbox/new-{TOKEN}", json=body).status_code == 404
    assert client.post("/payments/sandbox/guessed", json=body).status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/sms/inbound", "/ussd", f"/payments/mpesa/{TOKEN}", "/logistics/events"],
)
def test_a_2_mb_body_answers_413_before_it_is_read(
    services: Services, client: FlaskClient, path: str
) -> None:
    response = client.post(path, data=b"x" * (2 * 1024 * 1024), content_type="text/plain")
    assert response.status_code == 413
    assert rows(services, SmsInbound) == [] and rows(services, PaymentCallback) == []


def test_a_body_within_the_limit_is_read(services: Services, client: FlaskClient) -> None:
    assert services.settings.MAX_CONTENT_LENGTH == 16384
    text = "x" * 9000
    assert client.post("/sms/inbound", data=_inbound(text)).status_code == 200
