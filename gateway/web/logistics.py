"""`POST /logistics/events`: carriers report parcel events, JSON signed with each carrier's key.

The signature is checked with the key of the carrier the body names (a wrong one is counted
as refused). A tracking scan is kept and answered 202 (`queued`, or `duplicate` for one kept
before); a worker judges it (`gateway.commerce.parcels.inbox`). A delivery or a border
clearance is judged while the carrier waits: a parcel booked with another carrier answers
409, and a refused event sent again gets its first answer again.
"""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request

from gateway.commerce import errors
from gateway.commerce.parcels.events import carrier_report
from gateway.commerce.parcels.events import record_event
from gateway.commerce.parcels.inbox import ON_THE_SPOT
from gateway.commerce.parcels.inbox import catch_up
from gateway.commerce.parcels.inbox import keep_scan
from gateway.commerce.parcels.refusals import VERDICTS
from gateway.current import services
from gateway.providers.carriers.events import SIGNATURE_HEADER
from gateway.providers.carriers.events import claimed_carrier
from gateway.providers.carriers.events import parse_event
from gateway.providers.carriers.events import signature_ok
from gateway.web import schemas
from gateway.web.guards import refused
from gateway.web.validate import read_json

bp = Blueprint("logistics", __name__)

HTTP_STATUS: dict[type[errors.DomainError], int] = {
    errors.EventBeforeShipment: 400,
    errors.EventTooOld: 400,
    errors.ParcelNotFound: 404,
    errors.IllegalTransition: 409,
    errors.WrongDeliveryCode: 409,
    errors.ParcelLocked: 409,
    errors.WrongCarrier: 409,
    errors.CertificateUsed: 409,
    errors.CertificateCancelled: 409,
}
REASON: dict[type[errors.DomainError], str] = {
    errors.EventBeforeShipment: "occurred_at is before the shipment was created",
    errors.EventTooOld: "occurred_at is older than CARRIER_EVENT_MAX_AGE",
    errors.ParcelNotFound: "unknown tracking_ref",
    errors.IllegalTransition: "illegal transition",
    errors.WrongDeliveryCode: "wrong or missing delivery_code",
    errors.ParcelLocked: "parcel locked after too many wrong delivery codes",
    errors.WrongCarrier: "parcel booked with another carrier",
    errors.CertificateUsed: "certificate of origin already used at a border",
    errors.CertificateCancelled: "certificate of origin cancelled",
}
ANSWER_OF_VERDICT = {
    verdict: (HTTP_STATUS[refusal], REASON[refusal]) for refusal, verdict in VERDICTS.items()
}
"""The first answer (status, reason), given again to a refused event sent again."""


def _answer(code: int, **body: object) -> Response:
    response = jsonify(body)
    response.status_code = code
    return response


@bp.post("/logistics/events")
def events() -> Response:
    """Check the signature, read the event, keep a scan or record an event on the spot once;
    nothing else happens here."""
    body, svc = request.get_data(), services()
    keys = svc.settings.webhook_keys(claimed_carrier(body))
    if not signature_ok(body, request.headers.get(SIGNATURE_HEADER), keys):
        refused("logistics.events signature")
        return _answer(401, error="bad signature")
    checked = read_json(schemas.CarrierEvent, body)
    now = svc.clock()
    event = checked if isinstance(checked, str) else parse_event(body, now)
    if isinstance(event, str):
        return _answer(400, error=event)
    if event.status not in ON_THE_SPOT:
        kept = keep_scan(svc.uow(), event, now)
        return _answer(202, result="queued" if kept else "duplicate", event_id=event.event_id)
    rules = svc.deps.parcel_rules
    catch_up(svc.uow(), rules, event.carrier, event.tracking_ref)
    try:
        done = record_event(carrier_report(event, "carrier"), svc.uow(), rules)
    except errors.EventRefused as err:
        status, reason = ANSWER_OF_VERDICT[err.verdict]
        return _answer(status, error=reason, detail=str(err))
    except tuple(HTTP_STATUS) as err:
        return _answer(HTTP_STATUS[type(err)], error=REASON[type(err)], detail=str(err))
    return _answer(200, result=done.result, tracking_ref=done.ref, status=done.status)
