"""`POST /sms/inbound`, `/sms/delivery` and `/sms/optout`, as Africa's Talking sends them."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import request

from gateway.commerce.messaging.delivery_reports import record_delivery
from gateway.commerce.messaging.inbound import receive
from gateway.commerce.messaging.outgoing import record_opt_out
from gateway.commerce.phones import InvalidPhone
from gateway.current import services
from gateway.providers.africastalking.sms_callbacks import parse_delivery
from gateway.providers.africastalking.sms_callbacks import parse_inbound
from gateway.providers.africastalking.sms_callbacks import parse_opt_out
from gateway.web.replies import plain

bp = Blueprint("sms", __name__)


@bp.post("/sms/inbound")
def inbound() -> Response:
    """Store an incoming SMS once per AT id and queue its handling; answer 200 at once."""
    sms = parse_inbound(request.form)
    if isinstance(sms, str):
        return plain(sms, 400)
    receive(services().uow(), sms)
    return plain("OK")


@bp.post("/sms/delivery")
def delivery() -> Response:
    """Store a delivery report and update the message it names; unknown ids are kept."""
    report = parse_delivery(request.form)
    if isinstance(report, str):
        return plain(report, 400)
    record_delivery(services().uow(), report)
    return plain("OK")


@bp.post("/sms/optout")
def opt_out() -> Response:
    """Africa's Talking's bulk-SMS opt-out callback: the number is opted out."""
    phone = parse_opt_out(request.form)
    try:
        record_opt_out(services().uow(), phone or "", True, "at")
    except InvalidPhone:
        return plain("phoneNumber must be a phone number", 400)
    return plain("OK")
