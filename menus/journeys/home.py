"""The first screens: language (once, and from the menu) and the main menu."""

from __future__ import annotations

from gateway.commerce.people import set_language
from menus.context import Context
from menus.i18n import LANGUAGES
from menus.i18n import t
from menus.screens import Choice
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick


def languages(ctx: Context) -> list[Item]:
    return [Item(code, t(code, f"language.{code}")) for code in LANGUAGES]


def remember_language(ctx: Context) -> None:
    ctx.language = ctx.data.pop("language")
    set_language(ctx.uow(), ctx.caller.id, ctx.language)


SCREENS = (
    Pick(
        "home.language",
        "home.language",
        source=languages,
        store="language",
        then=remember_language,
        goto="home.main",
    ),
    Menu(
        "home.main",
        "home.main",
        choices=(
            Choice("home.buy", "buy.categories"),
            Choice("home.language_item", "home.language"),
        ),
    ),
)
