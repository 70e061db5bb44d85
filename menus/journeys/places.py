"""Screens for choosing where one is: a region, then a district, from short lists, or typed.

`place_screens(prefix, goto)` gives `prefix.region`, `prefix.district` and `prefix.place`;
they leave `data["region"]` and `data["district"]` (either may be None) and `data["place"]`,
the name to show.
"""

from __future__ import annotations

from gateway.commerce import places
from gateway.text.names import PROBLEMS
from gateway.text.names import name_problem
from gateway.text.names import tidy
from menus.context import Context
from menus.i18n import t
from menus.present import place_name
from menus.screens import Ask
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Pick

TYPED = "typed"


def _typed(ctx: Context) -> Item:
    return Item(TYPED, t(ctx.language, "place.type"))


def regions(ctx: Context) -> list[Item]:
    country = ctx.caller.country
    named = [Item(r, place_name(ctx.language, country, r)) for r in places.regions(country)]
    return named + [_typed(ctx)]


def districts(ctx: Context) -> list[Item]:
    names = places.districts(ctx.caller.country, ctx.data["region"])
    return [Item(d, d) for d in names] + [_typed(ctx)]


def keep_region(ctx: Context) -> None:
    if ctx.data["region"] == TYPED:
        ctx.data["region"] = None
    ctx.data["district"] = None
    ctx.data["place"] = place_name(ctx.language, ctx.caller.country, ctx.data["region"])


def keep_district(ctx: Context) -> None:
    if ctx.data["district"] == TYPED:
        ctx.data["district"] = None
    region = place_name(ctx.language, ctx.caller.country, ctx.data["region"])
    ctx.data["place"] = ctx.data["district"] or region


PLACE_ERRORS = tuple(f"name.{problem}" for problem in PROBLEMS)
"""The texts a typed place may be refused with, each saying what is wrong."""


def typed_place(ctx: Context, text: str) -> str:
    problem = name_problem(text, places.PLACE_MAX)
    if problem is not None:
        raise Invalid(f"name.{problem}", most=places.PLACE_MAX)
    name = tidy(text)
    if ctx.data.get("region") is None:
        ctx.data["region"], ctx.data["district"] = places.locate(ctx.caller.country, name)
    else:
        ctx.data["district"] = name
    return name


def place_screens(prefix: str, goto: str) -> tuple[Pick, Pick, Ask]:
    typed = f"{prefix}.place"
    return (
        Pick(
            f"{prefix}.region",
            "place.region",
            source=regions,
            store="region",
            then=keep_region,
            routes=((TYPED, typed),),
            goto=f"{prefix}.district",
        ),
        Pick(
            f"{prefix}.district",
            "place.district",
            source=districts,
            store="district",
            then=keep_district,
            routes=((TYPED, typed),),
            goto=goto,
        ),
        Ask(
            typed,
            "place.typed",
            parse=typed_place,
            store="place",
            goto=goto,
            errors=PLACE_ERRORS,
        ),
    )
