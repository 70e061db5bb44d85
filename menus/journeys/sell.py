"""Sell: the seller menu, and registering as a seller (PIN, name, place, payout number)."""

from __future__ import annotations

from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.people.sellers import RegisterSeller
from gateway.commerce.people.sellers import register_seller
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.text.names import PROBLEMS
from gateway.text.names import name_problem
from gateway.text.names import tidy
from menus.context import Context
from menus.journeys.answers import yes_or_no
from menus.journeys.my_money import read_money
from menus.journeys.pin import choose_pin
from menus.journeys.pin import enter_pin
from menus.journeys.places import place_screens
from menus.present import place_name
from menus.screens import Ask
from menus.screens import Choice
from menus.screens import Invalid
from menus.screens import Menu
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Menu(
            "sell.menu",
            choices=(
                Choice(
                    "sell.do_register",
                    "sell.reg_pin",
                    shown=lambda c: not is_seller(c) and not c.caller.has_pin,
                ),
                Choice(
                    "sell.do_register",
                    "sell.reg_check",
                    shown=lambda c: not is_seller(c) and c.caller.has_pin,
                ),
                Choice("sell.do_list", "sell.category", shown=is_seller),
                Choice("sell.do_mine", "sell.listings", shown=is_seller),
                Choice("sell.do_orders", "sell.orders", shown=is_seller),
                Choice("sell.do_money", "sell.money", shown=is_seller, then=read_money),
            ),
        ),
        *choose_pin("sell.reg_pin", "sell.name"),
        enter_pin("sell.reg_check", "sell.name"),
        Ask(
            "sell.name",
            parse=name,
            store="name",
            goto="sell.region",
            errors=NAME_ERRORS,
        ),
        *place_screens("sell", "sell.payout"),
        Ask(
            "sell.payout",
            shows=lambda c: {"phone": c.data["me"]},
            parse=payout,
            store="payout",
            goto="sell.reg_confirm",
            errors=("sell.phone_invalid",),
            retry="sell.payout_retry",
        ),
        yes_or_no(
            "sell.reg_confirm",
            "sell.reg_confirm",
            shows=registration_values,
            action=register,
            goto="sell.registered",
        ),
        Menu("sell.registered", choices=(Choice("sell.do_list", "sell.category"),)),
    )


OWN_PHONE = "1"
NAME_ERRORS = tuple(f"name.{problem}" for problem in PROBLEMS)
"""The texts a typed name may be refused with, each saying what is wrong."""


def is_seller(ctx: Context) -> bool:
    return "seller" in ctx.caller.roles


def name(ctx: Context, text: str) -> str:
    """A name of a person, a business or goods: 2 to NAME_MAX characters, a letter among them."""
    problem = name_problem(text, NAME_MAX)
    if problem is not None:
        raise Invalid(f"name.{problem}", most=NAME_MAX)
    ctx.data["me"] = ctx.caller.phone
    return tidy(text)


def payout(ctx: Context, text: str) -> str:
    if text == OWN_PHONE:
        return ctx.caller.phone
    try:
        return to_e164(text, default_region=ctx.caller.country)
    except InvalidPhone:
        raise Invalid("sell.phone_invalid") from None


def registration_values(ctx: Context) -> dict[str, object]:
    return {
        "name": ctx.data["name"],
        "place": place_name(ctx.language, ctx.caller.country, ctx.data["place"]) or "-",
        "payout": ctx.data["payout"],
    }


def register(ctx: Context) -> None:
    seller = register_seller(
        RegisterSeller(
            person_id=ctx.caller.id,
            name=ctx.data["name"],
            region=ctx.data["region"],
            district=ctx.data["district"],
            payout_phone=ctx.data["payout"],
            pin_hash=ctx.data["new_pin"],
        ),
        ctx.uow(),
    )
    ctx.became(seller)
