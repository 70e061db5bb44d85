"""`POST /ussd` (one hop) and `POST /ussd/events` (end of session), as Africa's Talking sends them."""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Response
from flask import request

from gateway.commerce.messaging.session_ends import record_session_end
from gateway.current import services
from gateway.providers.africastalking.ussd import parse_session_end
from gateway.web import schemas
from gateway.web.replies import plain
from gateway.web.validate import form_fields
from menus.engine import Hop
from menus.engine import Reply
from menus.i18n import t

bp = Blueprint("ussd", __name__)
log = logging.getLogger(__name__)


def _answer(reply: Reply) -> Response:
    """The hop's `CON`/`END` text, with the screen id as Africa's Talking hop metadata."""
    response = plain(str(reply))
    response.headers["at-ussd-hop-metadata"] = reply.screen[:99].replace("|", "/")
    return response


@bp.post("/ussd")
def hop() -> Response:
    """Answer one USSD hop with `CON ...` or `END ...`; never an error status."""
    form = schemas.UssdHop.model_validate(request.form.to_dict())  # never refused: all optional
    hop = Hop(
        session_id=form.sessionId,
        phone=form.phoneNumber,
        text=form.text,
        service_code=form.serviceCode,
        network_code=form.networkCode,
    )
    try:
        reply = services().engine.answer(hop)
    except Exception:
        log.exception("USSD hop failed for session %s", hop.session_id)
        reply = Reply("END", t(None, "system.error"), "error")
    return _answer(reply)


@bp.post("/ussd/events")
def session_end() -> Response:
    """Store Africa's Talking's end-of-session notification for drop-off analysis."""
    form = form_fields(schemas.UssdSessionEnd, request.form)
    if isinstance(form, str):
        return plain(form, 400)
    event = parse_session_end(form)
    if isinstance(event, str):
        return plain(event, 400)
    record_session_end(services().uow(), event)
    return plain("OK")
