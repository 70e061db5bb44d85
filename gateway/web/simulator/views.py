"""The phone simulator's pages: a handset (dial, read the screen with its character count,
reply), its SMS inbox and outbox, the sandbox's payment prompt, and a carrier's console.
The phone's state (number, session, inputs so far) is kept in the signed session cookie."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint
from flask import Flask
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from config.countries import NETWORKS
from config.settings import Settings
from gateway.current import services
from gateway.providers.carriers.events import STATUS
from gateway.providers.payments.sandbox import DECISIONS
from gateway.providers.payments.sandbox import Sandbox
from gateway.text.gsm import encoding
from gateway.text.gsm import length_units
from gateway.text.gsm import screen_limit
from gateway.web.csrf import protect_posts
from gateway.web.simulator import providers

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")
DEFAULT_NUMBER = "+254711000001"
DEFAULT_NETWORK = "63902"
CARRIER = "swiftbox"


def init_app(app: Flask, settings: Settings) -> None:
    """The simulator, outside production only: in production /simulator is a 404."""
    if not settings.is_production:
        app.register_blueprint(bp)


bp.before_request(protect_posts)


def _phone() -> dict[str, Any]:
    phone: dict[str, Any] = session.get("phone") or {}
    phone.setdefault("number", DEFAULT_NUMBER)
    phone.setdefault("network", DEFAULT_NETWORK)
    phone.setdefault("service_code", services().settings.USSD_SERVICE_CODE)
    return phone


def _keep(phone: dict[str, Any]) -> ResponseReturnValue:
    session["phone"] = phone
    return redirect(url_for("simulator.phone"))


@bp.get("/")
def phone() -> ResponseReturnValue:
    """The handset, its screen, its inbox and the prompts waiting on it."""
    svc = services()
    state = _phone()
    screen = state.get("screen", "")
    sandbox = svc.payment_providers.get("sandbox")
    prompts = sandbox.prompts(state["number"]) if isinstance(sandbox, Sandbox) else []
    return render_template(
        "simulator/phone.html",
        phone=state,
        screen=screen,
        used=length_units(screen) if screen else 0,
        limit=screen_limit(screen, svc.settings.USSD_SCREEN_GSM, svc.settings.USSD_SCREEN_UCS2),
        encoding=encoding(screen) if screen else "",
        inbox=providers.inbox(svc.settings, state["number"]),
        prompts=prompts,
        decisions=list(DECISIONS),
        networks=sorted(NETWORKS.items(), key=lambda item: (item[1][0], item[1][1])),
        statuses=list(dict.fromkeys(STATUS.values())),
        carrier=CARRIER,
        said=session.pop("said", None),
    )


@bp.post("/dial")
def dial() -> ResponseReturnValue:
    """Dial the service code as the number typed, on the network chosen."""
    state = _phone()
    form = request.form
    state.update(
        number=form.get("number", DEFAULT_NUMBER).strip()[:20],
        network=form.get("network", DEFAULT_NETWORK).strip()[:10],
        service_code=form.get("service_code", state["service_code"]).strip()[:40],
        session_id=f"ATUid_sim{uuid.uuid4().hex}",
        inputs=[],
    )
    return _keep(_hop(state))


@bp.post("/reply")
def reply() -> ResponseReturnValue:
    """Send what was typed on the open screen."""
    state = _phone()
    if not state.get("session_id") or state.get("ended"):
        return _keep(state)
    state["inputs"] = [*state.get("inputs", []), request.form.get("input", "")[:200]]
    return _keep(_hop(state))


def _hop(state: dict[str, Any]) -> dict[str, Any]:
    answer = providers.hop(
        services().settings,
        state["session_id"],
        state["service_code"],
        state["number"],
        state["network"],
        "*".join(state["inputs"]),
    )
    state["screen"] = answer.body if answer.status == 200 else f"HTTP {answer.status}"
    state["ended"] = not answer.body.startswith("CON ")
    return state


@bp.post("/sms")
def text() -> ResponseReturnValue:
    """Text the short code from the phone (HELP, ORDER D001 2, TRACK K7M4QX...)."""
    state = _phone()
    answer = providers.text_in(
        services().settings, state["number"], state["network"], request.form.get("text", "")[:480]
    )
    session["said"] = f"SMS sent: HTTP {answer.status} {answer.body}"
    return _keep(state)


@bp.post("/pay")
def pay() -> ResponseReturnValue:
    """Answer the sandbox's payment prompt: approve, or decline with a reason."""
    answer = providers.decide(
        services().settings, request.form.get("ref", ""), request.form.get("result", "")
    )
    session["said"] = f"Payment prompt answered: HTTP {answer.status} {answer.body}"
    return _keep(_phone())


@bp.post("/carrier")
def carrier() -> ResponseReturnValue:
    """Push a carrier event about an order's parcel, signed as that carrier."""
    form = request.form
    answer = providers.carrier_event(
        services().settings,
        form.get("carrier", CARRIER).strip()[:20] or CARRIER,
        form.get("ref", "").strip().upper()[:40],
        form.get("status", ""),
        form.get("code", "").strip()[:6],
        form.get("location", "").strip()[:60],
    )
    session["said"] = f"Carrier event: HTTP {answer.status} {answer.body}"
    return _keep(_phone())
