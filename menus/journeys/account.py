"""Language / Account: language, country, one's place, PIN (changed, or chosen again after a
reset), and an agent invite code."""

from __future__ import annotations

from gateway.commerce import errors
from gateway.commerce.agents.points import redeem_invite
from gateway.commerce.people.callers import set_place
from gateway.commerce.people.pins import set_pin
from gateway.commerce.refs import normalise_ref
from menus.context import Context
from menus.journeys.home import countries
from menus.journeys.home import is_agent
from menus.journeys.home import languages
from menus.journeys.home import remember_country
from menus.journeys.home import remember_language
from menus.journeys.pin import choose_pin
from menus.journeys.pin import enter_pin
from menus.journeys.places import place_screens
from menus.journeys.sell import is_seller
from menus.screens import Ask
from menus.screens import Choice
from menus.screens import Confirm
from menus.screens import End
from menus.screens import Invalid
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Menu(
            "account.menu",
            choices=(
                Choice("account.language", "account.language"),
                Choice("account.country", "account.country"),
                Choice("account.place", "account.region"),
                Choice("account.pin", "account.pin_old", shown=lambda c: c.caller.has_pin),
                Choice("account.pin_choose", "account.pin_new", shown=needs_pin),
                Choice("account.invite", "account.invite", shown=lambda c: not is_agent(c)),
            ),
        ),
        Pick(
            "account.language",
            "home.language",
            source=languages,
            store="language",
            then=remember_language,
            goto="home.main",
        ),
        Pick(
            "account.country",
            "home.country",
            source=countries,
            store="country",
            then=remember_country,
            goto="home.main",
        ),
        *place_screens("account", "account.place_confirm"),
        Confirm(
            "account.place_confirm",
            shows=place_values,
            action=save_place,
            goto="account.saved",
        ),
        End("account.saved"),
        enter_pin("account.pin_old", "account.pin_new"),
        *choose_pin("account.pin_new", "account.pin_changed", then=save_pin),
        End("account.pin_changed"),
        Ask(
            "account.invite",
            "account.invite_code",
            parse=invite_code,
            act=redeem,
            store="point",
            goto="agent.welcome",
            errors=("account.invite_invalid",),
        ),
    )


def needs_pin(ctx: Context) -> bool:
    """A seller without a PIN (after a reset) chooses one here, from their own phone."""
    return is_seller(ctx) and not ctx.caller.has_pin


def place_values(ctx: Context) -> dict[str, object]:
    return {"place": ctx.data["place"]}


def save_place(ctx: Context) -> None:
    set_place(ctx.uow(), ctx.caller.id, ctx.data["region"], ctx.data["district"])


def save_pin(ctx: Context) -> None:
    set_pin(ctx.uow(), ctx.caller.id, ctx.data["new_pin"])


def invite_code(ctx: Context, text: str) -> str:
    return normalise_ref(text)


def redeem(ctx: Context, code: str) -> dict[str, object]:
    """Redeem an invite code: the caller becomes the agent of the point it names."""
    try:
        caller, point = redeem_invite(ctx.uow(), ctx.caller.id, code)
    except errors.InvalidInvite:
        raise Invalid("account.invite_invalid") from None
    ctx.became(caller)
    return {"name": point.name, "place": point.place}
