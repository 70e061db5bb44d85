"""The first screens: language and country (once, and from the account menu) and the main menu."""

from __future__ import annotations

from dataclasses import replace

from config.countries import COUNTRIES
from config.countries import LANGUAGE_MENU_FIRST
from gateway.commerce.parcels.news import code_waiting
from gateway.commerce.people.callers import set_country
from gateway.commerce.people.callers import set_language
from gateway.text.gsm import is_gsm7
from gateway.text.gsm import transliterate
from menus.context import Context
from menus.i18n import LANGUAGES
from menus.i18n import t
from menus.present import country_name
from menus.screens import Choice
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Pick(
            "home.language",
            source=languages,
            store="language",
            then=remember_language,
            goto="home.country",
        ),
        Pick(
            "home.country",
            source=countries,
            store="country",
            then=remember_country,
            goto="home.main",
        ),
        Menu(
            "home.main",
            choices=(
                Choice("home.buy", "buy.categories"),
                Choice("home.again", "buy.again", shown=bought_before),
                Choice("home.agent", "agent.pin", shown=lambda c: is_agent(c) and c.caller.has_pin),
                Choice(
                    "home.agent",
                    "agent.first_pin",
                    shown=lambda c: is_agent(c) and not c.caller.has_pin,
                ),
                Choice("home.sell", "sell.menu"),
                Choice("home.orders", "orders.list"),
                Choice("parcels.item_track", "parcels.track"),
                Choice("parcels.home_item", "parcels.menu", shown=has_parcel_work),
                Choice(
                    "origin.verify_item", "origin.verify", shown=lambda c: not has_parcel_work(c)
                ),
                Choice("home.account", "account.menu"),
            ),
        ),
    )


PARCEL_ROLES = frozenset({"seller", "agent", "courier", "border"})
"""Roles with parcel work of their own (sending, receiving, handing over)."""


def languages(ctx: Context) -> list[Item]:
    """Every language by its own name, in the locale files' order; the caller's country's
    default language first where the country asks for it (`LANGUAGE_MENU_FIRST`). A name the
    screen's alphabet cannot show (Arabic on a Latin screen) is given as the screen's language
    says it, so that a GSM-7 menu stays one 160-character screen."""
    country = COUNTRIES.get(ctx.caller.country)
    first = [country.languages[0]] if country and country.iso in LANGUAGE_MENU_FIRST else []
    order = [*first, *(code for code in LANGUAGES if code not in first)]
    latin = is_gsm7(transliterate(t(ctx.language, "home.language")))
    return [Item(code, _language_name(ctx.language, code, latin)) for code in order]


def _language_name(screen: str, code: str, latin: bool) -> str:
    own = t(code, f"language.{code}")
    return t(screen, f"language.{code}") if latin and not is_gsm7(transliterate(own)) else own


def remember_language(ctx: Context) -> None:
    """Remember the language chosen; the engine keeps the caller's new view for their next
    session."""
    ctx.language = ctx.data.pop("language")
    set_language(ctx.uow(), ctx.caller, ctx.language, kept_by_hop=True)
    ctx.became(replace(ctx.caller, language=ctx.language))


def countries(ctx: Context) -> list[Item]:
    """COMESA members by their name in the caller's language, the caller's own (from their
    number) first."""
    named = {iso: country_name(ctx.language, iso) for iso in COUNTRIES}
    others = sorted((iso for iso in COUNTRIES if iso != ctx.caller.country), key=named.__getitem__)
    mine = [ctx.caller.country] if ctx.caller.country in COUNTRIES else []
    return [Item(iso, named[iso]) for iso in mine + others]


def remember_country(ctx: Context) -> None:
    country = ctx.data.pop("country")
    if country != ctx.caller.country:
        set_country(ctx.uow(), ctx.caller.id, country)


def is_agent(ctx: Context) -> bool:
    return "agent" in ctx.caller.roles


def bought_before(ctx: Context) -> bool:
    """Whether "Buy again" has anything to start from."""
    return ctx.caller.ordered


def has_parcel_work(ctx: Context) -> bool:
    """Sellers, agents and couriers handle parcels; a buyer only while a delivery code of
    theirs works (to ask for a new one), which needs an order first."""
    if ctx.caller.roles & PARCEL_ROLES:
        return True
    return bought_before(ctx) and ctx.once(
        "code_waiting", lambda: code_waiting(ctx.uow(), ctx.caller.id)
    )
