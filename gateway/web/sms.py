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
from gateway.web import schemas
from gateway.web.replies import plain
from gateway.web.validate import form_fields

bp = Blueprint("sms", __name__)


@bp.post("/sms/inbound")
def inbound() -> Response:
    """Store an incoming SMS once per AT id and queue its handling; answer 200 at once."""
    form = form_fields(schemas.SmsInbound, request.form)
    if isinstance(form, str):
        return plain(form, 400)
    sms = parse_inbound(form)
    if isinstance(sms, str):
        return plain(sms, 400)
    receive(services().uow(), sms)
    return plain("OK")


@bp.post("/sms/delivery")
def delivery() -> Response:
    """Store a delivery report and update the message it names; unknown ids are kept."""
    form = form_fields(schemas.SmsDelivery, request.form)
    if isinstance(form, str):
        return plain(form, 400)
    report = parse_delivery(form)
    if isinstance(report, str):
        return plain(report, 400)
    record_delivery(services().uow(), report)
    return plain("OK")


@bp.post("/sms/optout")
def opt_out() -> Response:
    """Africa's Talking's bulk-SMS opt-out callback: the number is opted out."""
    phone = parse_opt_out(schemas.SmsOptOut.model_validate(request.form.to_dict()).fields())
    try:
        record_opt_out(services().uow(), phone or "", True, "at")
    except InvalidPhone:
        return plain("phoneNumber must be a phone number", 400)
    return plain("OK")
