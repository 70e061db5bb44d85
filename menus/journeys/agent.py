"""Agent: register a customer (who consents by SMS), order for them, customers, commission,
point; from the point, reset the PIN of someone whose PIN is locked until reset (after
checking their ID).

The agent's PIN opens the agent menu once per session; a first-time agent chooses it then.
"""

from __future__ import annotations

from gateway.commerce import errors
from gateway.commerce.agents import consent
from gateway.commerce.agents.points import point_of
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.payments.commission import commission
from gateway.commerce.people.callers import Caller
from gateway.commerce.people.pins import reset_pin
from gateway.commerce.people.pins import set_pin
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.text.names import name_problem
from gateway.text.names import tidy
from menus.context import Context
from menus.goods import shown_name
from menus.i18n import t
from menus.journeys.answers import yes_or_no
from menus.journeys.pin import choose_pin
from menus.journeys.pin import enter_pin
from menus.journeys.sell import NAME_ERRORS
from menus.present import money
from menus.present import unit
from menus.screens import Ask
from menus.screens import Choice
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Menu(
            "agent.welcome",
            shows=point_values,
            choices=(
                Choice("home.agent", "agent.pin", shown=lambda c: c.caller.has_pin),
                Choice("home.agent", "agent.first_pin", shown=lambda c: not c.caller.has_pin),
            ),
        ),
        enter_pin("agent.pin", "agent.menu"),
        *choose_pin("agent.first_pin", "agent.menu", then=save_pin),
        Pick(
            "agent.menu",
            source=actions,
            store="action",
            then=prepare,
            routes=ROUTES,
            goto="agent.register",
        ),
        Ask(
            "agent.register",
            parse=phone,
            act=keep_name,
            store="customer_phone",
            branches=((named, "agent.ask"),),
            goto="agent.customer_name",
            errors=PHONE_ERRORS,
        ),
        Ask(
            "agent.customer_name",
            shows=phone_values,
            parse=customer_name,
            store="customer_name",
            skip="agent.no_name",
            goto="agent.ask",
            errors=NAME_ERRORS,
        ),
        Confirm("agent.ask", shows=phone_values, action=ask_consent, goto="agent.asked"),
        End("agent.asked", shows=asked_values),
        Pick(
            "agent.customer",
            source=consenting,
            store="customer_phone",
            then=serve_chosen,
            routes=((OTHER, "agent.customer_phone"),),
            goto="agent.payment",
        ),
        Ask(
            "agent.customer_phone",
            parse=phone,
            act=serve_or_offer,
            store="customer_phone",
            branches=((not_agreed, "agent.request_now"),),
            goto="agent.payment",
            errors=PHONE_ERRORS,
        ),
        yes_or_no(
            "agent.request_now",
            "agent.request_now",
            shows=phone_values,
            action=ask_consent,
            goto="agent.asked",
            yes="agent.send_request",
        ),
        Pick(
            "agent.payment",
            shows=phone_values,
            source=payments,
            store="payment",
            goto="agent.categories",
        ),
        Pick(
            "agent.customers",
            source=everyone,
            store="chosen",
            then=keep_customer,
            goto="agent.one",
            empty="agent.no_customers",
        ),
        Menu(
            "agent.one",
            shows=customer_values,
            choices=(
                Choice("agent.order_for", "agent.payment", shown=agreed),
                Choice("agent.ask_again", "agent.ask", shown=lambda c: not agreed(c)),
            ),
        ),
        End("agent.commission", shows=commission_values),
        Menu(
            "agent.point",
            shows=point_values,
            choices=(Choice("agent.do_reset_pin", "agent.reset_phone"),),
        ),
        Ask(
            "agent.reset_phone",
            parse=phone,
            store="customer_phone",
            goto="agent.reset_confirm",
            errors=PHONE_ERRORS,
        ),
        Confirm("agent.reset_confirm", shows=phone_values, action=reset, goto="agent.reset_done"),
        End("agent.reset_done", shows=phone_values),
    )


OTHER = "other"
CASH = "cash"


def save_pin(ctx: Context) -> None:
    set_pin(ctx.uow(), ctx.caller.id, ctx.data["new_pin"])


PHONE_ERRORS = ("agent.phone_invalid", "agent.not_yourself")
"""The texts `phone` may refuse an answer with."""


def phone(ctx: Context, text: str) -> str:
    try:
        number = to_e164(text, default_region=ctx.caller.country)
    except InvalidPhone:
        raise Invalid("agent.phone_invalid") from None
    if number == ctx.caller.phone:
        raise Invalid("agent.not_yourself")
    return number


def consent_text(language: str, agent: str) -> str:
    return t(language, "agent_sms.consent", agent=agent)


def keep_name(ctx: Context, number: str) -> str:
    """The name the agent gave this customer before, if any (it is not asked again)."""
    ctx.data["customer_name"] = consent.known_name(ctx.uow(), ctx.caller.id, number)
    return number


def named(ctx: Context) -> bool:
    return ctx.data.get("customer_name") is not None


def customer_name(ctx: Context, text: str) -> str:
    """What the agent calls the customer (the screen also offers no name)."""
    problem = name_problem(text, NAME_MAX)
    if problem is not None:
        raise Invalid(f"name.{problem}", most=NAME_MAX)
    return tidy(text)


def ask_consent(ctx: Context) -> None:
    phone, name = ctx.data["customer_phone"], ctx.data.get("customer_name")
    ctx.data["asked"] = consent.request_consent(ctx.uow(), ctx.caller.id, phone, consent_text, name)


def asked_values(ctx: Context) -> dict[str, object]:
    phone = ctx.data["customer_phone"]
    return {"line": t(ctx.language, f"agent.asked_{ctx.data['asked']}", phone=phone)}


def phone_values(ctx: Context) -> dict[str, object]:
    return {"phone": ctx.data["customer_phone"]}


def _serve(ctx: Context, customer: Caller) -> None:
    ctx.data["customer"] = {
        "id": customer.id,
        "phone": customer.phone,
        "country": customer.country,
        "region": customer.region,
        "district": customer.district,
    }


def _who(customer: consent.Customer) -> str:
    return f"{customer.name} {customer.phone}" if customer.name else customer.phone


def consenting(ctx: Context) -> list[Item]:
    rows = consent.customers(ctx.uow(), ctx.caller.id)
    return [Item(c.phone, _who(c)) for c in rows if c.status == "granted"] + [
        Item(OTHER, t(ctx.language, "agent.other_number"))
    ]


def serve_chosen(ctx: Context) -> None:
    if ctx.data["customer_phone"] != OTHER:
        serve(ctx, ctx.data["customer_phone"])


def serve(ctx: Context, number: str) -> str:
    """The agent orders for `number` next, if that customer agreed (else the session ends)."""
    _serve(ctx, consent.customer_to_serve(ctx.uow(), ctx.caller.id, number))
    return number


def serve_or_offer(ctx: Context, number: str) -> str:
    """The agent orders for `number` next; a number that never agreed is offered the
    request instead."""
    ctx.data["customer_name"] = None
    try:
        serve(ctx, number)
    except errors.NoConsent:
        ctx.data["not_agreed"] = True
        return number
    ctx.data["not_agreed"] = False
    return number


def not_agreed(ctx: Context) -> bool:
    return bool(ctx.data.get("not_agreed"))


def payments(ctx: Context) -> list[Item]:
    return [
        Item("prompt", t(ctx.language, "agent.pay_prompt")),
        Item(CASH, t(ctx.language, "agent.pay_cash")),
    ]


def _last(ctx: Context, last: consent.LastOrder | None) -> str:
    if last is None:
        return t(ctx.language, "agent.no_last_order")
    return t(
        ctx.language,
        "agent.last_order",
        ref=last.ref,
        qty=last.quantity,
        unit=unit(ctx.language, last.unit, last.quantity),
        name=shown_name(ctx.language, last.name),
    )


def everyone(ctx: Context) -> list[Item]:
    return [
        Item(
            {
                "phone": c.phone,
                "status": c.status,
                "who": _who(c),
                "last": _last(ctx, c.last_order),
            },
            t(ctx.language, f"agent.customer_{c.status}", phone=c.name or c.phone),
        )
        for c in consent.customers(ctx.uow(), ctx.caller.id)
    ]


def keep_customer(ctx: Context) -> None:
    chosen = ctx.data["chosen"]
    ctx.data["customer_phone"] = chosen["phone"]
    if chosen["status"] == "granted":
        _serve(ctx, consent.customer_to_serve(ctx.uow(), ctx.caller.id, chosen["phone"]))


def customer_values(ctx: Context) -> dict[str, object]:
    chosen = ctx.data["chosen"]
    return {
        "line": t(ctx.language, f"agent.customer_{chosen['status']}", phone=chosen["who"]),
        "last": chosen["last"],
    }


def agreed(ctx: Context) -> bool:
    return bool(ctx.data["chosen"]["status"] == "granted")


ROUTES = (
    ("register", "agent.register"),
    ("order", "agent.customer"),
    ("customers", "agent.customers"),
    ("commission", "agent.commission"),
    ("point", "agent.point"),
)


def actions(ctx: Context) -> list[Item]:
    return [Item(action, t(ctx.language, f"agent.do_{action}")) for action, _ in ROUTES]


def prepare(ctx: Context) -> None:
    """Read what the chosen screen shows: the commission, or the agent's point."""
    if ctx.data["action"] == "commission":
        earned = commission(ctx.uow(), ctx.caller.id, ctx.deps.rates)
        ctx.data["commission"] = {
            "pending_minor": earned.pending.minor,
            "earned_minor": earned.earned.minor,
            "currency": earned.pending.currency,
            "orders": earned.pending_orders,
        }
    elif ctx.data["action"] == "point":
        point = point_of(ctx.uow(), ctx.caller.id)
        ctx.data["point"] = {
            "name": point.name if point else "-",
            "place": point.place if point else "-",
            "hours": (point.hours if point else None) or "-",
        }


def commission_values(ctx: Context) -> dict[str, object]:
    earned = ctx.data["commission"]
    return {
        "pending": money(ctx.language, earned["pending_minor"], earned["currency"]),
        "count": earned["orders"],
        "earned": money(ctx.language, earned["earned_minor"], earned["currency"]),
    }


def point_values(ctx: Context) -> dict[str, object]:
    return dict(ctx.data["point"])


def reset(ctx: Context) -> None:
    """Reset the PIN of the number typed; refused unless it is locked until reset."""
    deps = ctx.deps
    reset_pin(ctx.uow(), ctx.data["customer_phone"], deps.pin_lock, deps.notices, ctx.caller.id)
