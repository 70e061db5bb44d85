"""Africa's Talking's end-of-session notifications are stored once, for drop-off analysis."""

from gateway.store.models.ussd import UssdSessionEvent

EVENT = {
    "date": "2026-11-29 10:15:42",
    "sessionId": "ATUid_0b2a6e0f3c6a4c1e9a0d1f2b3c4d5e6f",
    "serviceCode": "*384*123#",
    "networkCode": "63902",
    "phoneNumber": "+254711000001",
    "status": "Incomplete",
    "cost": "KES 0.10",
    "durationInMillis": "48211",
    "hopsCount": "4",
    "hopsMetadata": "home.language|home.main|buy.categories|buy.quantity",
    "input": "1*1*1",
    "lastAppResponse": "CON Maize, KES 3,200/bag\nHow many?",
    "retryCount": "0",
}


def _stored(services) -> list[UssdSessionEvent]:
    with services.uow() as uow:
        return list(uow.session.query(UssdSessionEvent))


def test_an_incomplete_session_is_stored_with_its_last_screen(services, client):
    response = client.post("/ussd/events", data=EVENT)
    assert response.status_code == 200 and response.get_data(as_text=True) == "OK"
    (event,) = _stored(services)
    assert event.status == "Incomplete" and event.hops == 4 and event.duration_ms == 48211
    assert event.last_screen == "buy.quantity" and event.cost == "KES 0.10"
    assert event.occurred_at.isoformat() == "2026-11-29T10:15:42+00:00"


def test_the_same_notification_twice_is_stored_once(services, client):
    client.post("/ussd/events", data=EVENT)
    assert client.post("/ussd/events", data=EVENT).status_code == 200
    assert len(_stored(services)) == 1


def test_a_failed_session_keeps_its_error(services, client):
    failed = {**EVENT, "status": "Failed", "errorMessage": "timeout", "hopsCount": "", "cost": "0"}
    assert client.post("/ussd/events", data=failed).status_code == 200
    (event,) = _stored(services)
    assert event.error == "timeout" and event.hops is None


def test_a_number_that_is_no_whole_number_in_range_is_refused_and_nothing_is_stored(
    services, client
):
    for odd in ("many", "-4", "99999999999999999999", "2.5"):
        answer = client.post("/ussd/events", data={**EVENT, "hopsCount": odd})
        assert answer.status_code == 400
        assert answer.get_data(as_text=True) == (
            "hopsCount must be a whole number from 0 to 2147483647"
        )
    assert _stored(services) == []


def test_a_control_character_in_the_session_id_is_refused(services, client):
    answer = client.post("/ussd/events", data={**EVENT, "sessionId": "ATUid_\x00x"})
    assert (answer.status_code, answer.get_data(as_text=True)) == (
        400,
        "sessionId contains a control character",
    )
    assert _stored(services) == []


def test_an_unreadable_notification_is_refused_with_the_reason(services, client):
    missing = client.post("/ussd/events", data={"status": "Success"})
    assert missing.status_code == 400 and "sessionId" in missing.get_data(as_text=True)
    odd = client.post("/ussd/events", data={**EVENT, "status": "Exploded"})
    assert odd.status_code == 400 and "unknown status" in odd.get_data(as_text=True)
    assert _stored(services) == []


def test_health_reports_redis_and_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "redis": "ok", "database": "ok"}
