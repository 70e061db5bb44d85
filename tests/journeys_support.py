"""Helpers for journey tests: choose a line by its label, walk a handset through labels,
and the people of the stories (a seller in Molo, a buyer and an agent in Kisumu)."""

from __future__ import annotations

from typing import Any

from gateway.text.gsm import screen_fits
from gateway.text.gsm import transliterate
from menus.i18n import LANGUAGES
from menus.i18n import t

PIN = "4826"


def choose(screen: str, label: str) -> str:
    """The number in front of the line of `screen` that starts with `label`."""
    for line in screen.split("\n"):
        number, _, rest = line.partition(". ")
        if number.isdigit() and rest.startswith(label):
            return number
    raise AssertionError(f"{label!r} not on screen {screen!r}")


def walk_to_maize(handset: Any) -> str:
    """A first-time buyer in Kenya finds the demo maize; the quantity screen."""
    screen = handset.send(choose(handset.dial(), "English"))
    screen = handset.send(choose(screen, "Kenya"))
    screen = handset.send(choose(screen, "Buy"))
    screen = handset.send(choose(screen, "Grains and flour"))
    while "Maize KES" not in screen:
        screen = handset.send("98")
    return handset.send(choose(screen, "Maize KES"))


class Walk:
    """A handset session: each step is a label to choose (`"@Label"`) or text to type."""

    def __init__(self, handset) -> None:  # type: ignore[no-untyped-def]
        self.handset = handset
        self.screens: list[str] = []

    def dial(self) -> Walk:
        """Dial again; an offer to resume an unfinished journey is answered "Start over" (2),
        in whichever language it comes."""
        self.screens.append(self.handset.dial())
        resume = [transliterate(t(language, "resume.title")) for language in LANGUAGES]
        if any(self.screen.startswith(f"CON {title}") for title in resume):
            self.go("2")
        return self

    def go(self, *steps: str) -> str:
        for step in steps:
            if step.startswith("@"):
                step = choose(self.screen, step[1:])
            self.screens.append(self.handset.send(step))
        return self.screen

    def find(self, label: str) -> str:
        """Page with 98 until `label` shows, then choose it."""
        while not any(
            line.partition(". ")[2].startswith(label) for line in self.screen.split("\n")
        ):
            assert "98:" in self.screen, f"{label!r} not in the list: {self.screen!r}"
            self.screens.append(self.handset.send("98"))
        return self.go("@" + label)

    @property
    def screen(self) -> str:
        return self.screens[-1]

    def all_fit(self) -> list[str]:
        """Screens shown that are over 160 characters or had a choice cut short."""
        return [s for s in self.screens if not screen_fits(s) or "..\n" in s or ".\n98" in s]


def first_call(handset, language: str = "English", country: str = "Kenya") -> Walk:  # type: ignore[no-untyped-def]
    walk = Walk(handset).dial()
    walk.go("@" + language, "@" + country)
    return walk


def grant_agent(app, phone: str, point: str, place: str) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=[
            "agent",
            "grant",
            phone,
            "--point",
            point,
            "--place",
            place,
            "--hours",
            "Mon-Sat 8-18",
        ]
    )
    assert result.exit_code == 0, result.output
    return result.output


def register_seller(handset, name: str, region: str, district: str, pin: str = PIN) -> Walk:  # type: ignore[no-untyped-def]
    """A first-time caller registers as a seller; the walk ends on "You are a seller"."""
    walk = first_call(handset)
    walk.go("@Sell", "@Register as a seller", pin, pin, name)
    walk.find(region)
    walk.find(district)
    walk.go("1", "@Confirm")
    return walk


def list_goods(walk: Walk, category: str, name: str, unit: str, price: str, stock: str) -> str:
    """From the seller menu (or "You are a seller"), list goods; returns the END screen."""
    walk.go("@List goods")
    walk.find(category)
    walk.go(name)
    walk.find(unit)
    walk.go(price, stock, "@Buyers pick up", "@Confirm")
    return walk.go(PIN)
