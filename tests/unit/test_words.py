"""Words that read right: plural forms by Babel's rules, money in each language's convention,
one spelling of every command within a language, French with its accents, goods by their
name in the reader's language, offers that would read the same told apart."""

from __future__ import annotations

import re

import pytest

from gateway.commerce.catalog.views import ListingView
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.people.callers import Caller
from menus.budget import CHECK_DEPS
from menus.context import Context
from menus.goods import also_known_as
from menus.goods import names
from menus.goods import shown_name
from menus.i18n import LANGUAGES
from menus.i18n import t
from menus.i18n import texts
from menus.journeys.buy import _items
from menus.sms.vocabulary import keywords


@pytest.mark.parametrize(
    ("language", "count", "word"),
    [
        ("en", 1, "bag"),
        ("en", 2, "bags"),
        ("sw", 1, "kipande"),
        ("sw", 3, "vipande"),
        ("fr", 0, "sac"),
        ("fr", 1, "sac"),
        ("fr", 2, "sacs"),
    ],
)
def test_units_take_the_plural_form_of_their_count(language, count, word):
    unit = "piece" if language == "sw" else "bag"
    assert t(language, f"unit.{unit}", count=count) == word


def test_sentences_with_a_number_take_its_plural_form():
    assert t("en", "pin.wrong", count=1) == "Wrong PIN. 1 try left."
    assert t("en", "pin.wrong", count=2) == "Wrong PIN. 2 tries left."
    assert t("fr", "parcels.wrong_code", count=1) == "Code faux. Encore 1 essai."


@pytest.mark.parametrize(
    ("language", "money", "written"),
    [
        ("en", Money(2500000, "CDF"), "CDF 25,000"),
        ("fr", Money(2500000, "CDF"), "25 000 CDF"),
        ("fr", Money(320050, "KES"), "3 200,50 KES"),
        ("sw", Money(320000, "KES"), "KES 3,200"),
        ("en", Money(-500, "KES"), "-KES 5"),
        ("en", Money(1250, "TND"), "TND 1.250"),
    ],
)
def test_amounts_are_written_in_each_languages_convention(language, money, written):
    assert format_money(money, language) == written


def _canonical() -> dict[str, dict[str, tuple[str, ...]]]:
    """`{language: {command: its first spelling}}`."""
    first: dict[str, dict[str, tuple[str, ...]]] = {}
    for language in LANGUAGES:
        for key, value in texts(language).items():
            if key.startswith("sms_keywords.") and not key.endswith(".near"):
                spelled = tuple(value.split(",")[0].split())
                first.setdefault(language, {})[key.removeprefix("sms_keywords.")] = spelled
    return first


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_spells_a_command_as_its_language_does_first(language):
    canonical = _canonical()[language]
    spellings = {k.words: k.command for k in keywords() if len(" ".join(k.words)) > 3}
    for key, text in texts(language).items():
        if key.startswith("sms_keywords."):
            continue
        for words, command in spellings.items():
            if command not in canonical or words == canonical[command]:
                continue
            if re.search(rf"\b{' '.join(words)}\b", text) and not any(
                " ".join(words) in " ".join(other) for other in canonical.values()
            ):
                pytest.fail(f"{language} {key} says {' '.join(words)}: write {canonical[command]}")


UNACCENTED = ("recu", "especes", "preparer", "preparez", "etre", "deja", "Evitez", "Francais")


def test_french_is_written_with_its_accents():
    for key, text in texts("fr").items():
        for word in UNACCENTED:
            assert not re.search(rf"\b{word}\b", text), f"fr {key}: {word}"


def test_the_vocabulary_names_sixty_goods_or_more_in_every_language():
    assert len(names()) >= 60
    assert all(set(by_language) == set(LANGUAGES) for by_language in names().values())
    assert {"Maize", "Mahindi", "Maïs"} <= set(also_known_as("mahndi"))
    assert shown_name("sw", "Maize") == "Mahindi" and shown_name("fr", "mahindi") == "Maïs"
    assert shown_name("fr", "Fresh greens") == "Fresh greens"


def _view(listing_id: int, seller: str, place: str) -> ListingView:
    return ListingView(
        listing_id, f"C{listing_id}", "Maize", "bag", Money(320000, "KES"), 9, seller, place, "KE"
    )


def test_offers_that_would_read_the_same_name_the_place_then_the_seller():
    caller = Caller(1, "+254700000000", "KE", "en", None, None, None, frozenset())
    ctx = Context(caller, "en", CHECK_DEPS, "s", "k")
    views = [_view(1, "Wanjiru", "Molo"), _view(2, "Akinyi", "Ahero"), _view(3, "Otieno", "Ahero")]
    assert [i.label for i in _items(ctx, views)] == [
        "Maize KES 3,200/bag, Molo",
        "Maize KES 3,200/bag, Akinyi",
        "Maize KES 3,200/bag, Otieno",
    ]
    assert [i.label for i in _items(ctx, views[:1])] == ["Maize KES 3,200/bag"]
