"""The SMS grammar: keywords in three languages, any case, spacing and punctuation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.commerce.catalog.terms import NAME_MAX
from menus.i18n import LANGUAGES
from menus.sms.grammar import CURRENCY_WORDS
from menus.sms.grammar import PARSERS
from menus.sms.grammar import GrammarError
from menus.sms.grammar import Help
from menus.sms.grammar import MyOrders
from menus.sms.grammar import Order
from menus.sms.grammar import Pause
from menus.sms.grammar import Price
from menus.sms.grammar import Sell
from menus.sms.grammar import Start
from menus.sms.grammar import Stop
from menus.sms.grammar import StopAgent
from menus.sms.grammar import Track
from menus.sms.grammar import Verify
from menus.sms.grammar import Yes
from menus.sms.grammar import parse
from menus.sms.vocabulary import keywords
from menus.sms.vocabulary import units

COMMANDS = [
    ("HELP", Help()),
    ("help!", Help()),
    ("Msaada", Help()),
    ("aide ?", Help()),
    ("HLEP", Help()),
    ("SELL maize 3200", Sell("Maize", "3200")),
    ("sell  Maize flour 3,200 10 bags", Sell("Maize Flour", "3,200", 10, "bag")),
    ("SELL maize KES 3200.50 4 kg", Sell("Maize", "3200.50", 4, "kg")),
    ("SELL maize 3200 10", Sell("Maize", "3200", 10, "piece")),
    ("SELL eggs 450 tray", Sell("Eggs", "450", 1, "tray")),
    ("uza mahindi 3200 10 gunia", Sell("Mahindi", "3200", 10, "bag")),
    ("Vendre maïs 3200 10 sacs", Sell("Mais", "3200", 10, "bag")),
    ("PRICE maize", Price("Maize")),
    ("price, maize flour", Price("Maize Flour")),
    ("PRICE maize in Nakuru", Price("Maize", "Nakuru")),
    ("bei mahindi katika Nakuru", Price("Mahindi", "Nakuru")),
    ("prix maïs à Kigali", Price("Mais", "Kigali")),
    ("PRICE maize Nakuru", Price("Maize", "Nakuru")),
    ("PRIX pommes de terre", Price("Pommes De Terre")),
    ("prix pommes de terre Goma", Price("Pommes De Terre", "Goma")),
    ("BEI viazi vitamu Molo", Price("Viazi Vitamu", "Molo")),
    ("PRICE fresh greens Molo", Price("Fresh Greens Molo")),
    ("my ordrs", MyOrders()),
    ("mes comandes", MyOrders()),
    ("MAAGIZO YANGUU", MyOrders()),
    ("ORDER K7M2QX", Order("K7M2QX")),
    ("order k7m2qx 2", Order("K7M2QX", 2)),
    ("ORDR K7M2QX 2", Order("K7M2QX", 2)),
    ("agiza k7m2qx 3", Order("K7M2QX", 3)),
    ("Commander K7M2QX 1", Order("K7M2QX", 1)),
    ("PAUSE K7M2QX", Pause("K7M2QX")),
    ("simamisha k7m2qx", Pause("K7M2QX")),
    ("Suspendre K7M2QX.", Pause("K7M2QX")),
    ("MY ORDERS", MyOrders()),
    ("my   orders.", MyOrders()),
    ("maagizo yangu", MyOrders()),
    ("Mes commandes", MyOrders()),
    ("TRACK AB23CD", Track("AB23CD")),
    ("track ab-23 cd", Track("AB23CD")),
    ("fuatilia AB23CD", Track("AB23CD")),
    ("SUIVRE ab23cd", Track("AB23CD")),
    ("VERIFY 7KM3PX9ARD", Verify("7KM3PX9ARD")),
    ("verify 7km3-px9a rd", Verify("7KM3PX9ARD")),
    ("thibitisha 7KM3PX9ARD", Verify("7KM3PX9ARD")),
    ("Vérifier 7KM3PX9ARD", Verify("7KM3PX9ARD")),
    ("YES", Yes()),
    ("Ndio", Yes()),
    ("ndiyo!", Yes()),
    ("oui.", Yes()),
    ("STOP", Stop()),
    ("stop please", Stop()),
    ("Acha", Stop()),
    ("Arrêt", Stop()),
    ("START", Start()),
    ("anza", Start()),
    ("Démarrer", Start()),
    ("STOP AGENT", StopAgent()),
    ("acha wakala", StopAgent()),
    ("arret agent", StopAgent()),
]

REFUSED = [
    ("", "sms.usage"),
    ("hello", "sms.usage"),
    ("3200", "sms.usage"),
    ("STPO", "sms.usage"),
    ("YSE", "sms.usage"),
    ("SELL", "sms.usage_sell"),
    ("SELL maize", "sms.usage_sell"),
    ("SELL 3200", "sms.usage_sell"),
    ("SELL maize 10 bags 3200", "sms.usage_sell"),
    ("SELL maize 3200 0", "sms.bad_quantity"),
    ("SELL maize 3200 100000", "sms.bad_quantity"),
    ("SELL " + "w" * (NAME_MAX + 1) + " 3200", "sms.name_too_long"),
    ("PRICE", "sms.usage_price"),
    ("ORDER", "sms.usage_order"),
    ("ORDER K7M2QX 0", "sms.bad_quantity"),
    ("ORDER K7M2QX two", "sms.bad_quantity"),
    ("ORDER K7M2QX 2 3", "sms.usage_order"),
    ("TRACK", "sms.usage_track"),
    ("PAUSE", "sms.usage_pause"),
    ("PAUSE K7M2QX D002", "sms.usage_pause"),
    ("TRACK A1", "sms.usage_track"),
    ("VERIFY", "verify_sms.usage"),
    ("VERIFY 7KM3PX", "verify_sms.usage"),
]


@pytest.mark.parametrize(("text", "command"), COMMANDS)
def test_a_command_is_read_whatever_the_case_spacing_or_language(text: str, command) -> None:
    assert parse(text).command == command


@pytest.mark.parametrize(("text", "key"), REFUSED)
def test_what_is_no_command_names_its_usage_reply(text: str, key: str) -> None:
    with pytest.raises(GrammarError) as refused:
        parse(text)
    assert refused.value.key == key


def test_the_keyword_says_which_languages_it_belongs_to() -> None:
    assert parse("BEI mahindi").languages == {"sw"}
    assert parse("STOP").languages == {"en", "fr"}
    with pytest.raises(GrammarError) as refused:
        parse("UZA")
    assert (refused.value.command, refused.value.languages) == ("sell", {"sw"})


def test_the_longest_keyword_wins() -> None:
    assert parse("STOP AGENT now").name == "stop_agent"
    assert parse("MAAGIZO YANGU").name == "my_orders"


def test_every_language_has_a_keyword_for_every_command() -> None:
    for language in LANGUAGES:
        commands = {k.command for k in keywords() if language in k.languages}
        assert commands == set(PARSERS)


@given(st.text(max_size=200))
def test_any_text_is_a_command_or_a_grammar_error(text: str) -> None:
    try:
        parse(text)
    except GrammarError as refused:
        assert refused.key.startswith("sms.")


@given(
    st.sampled_from([text for text, _ in COMMANDS]),
    st.lists(st.sampled_from([" ", "  ", "\t", "\n"]), min_size=1, max_size=3),
    st.sampled_from([str.lower, str.upper, str.title, str.swapcase]),
    st.sampled_from(["", ".", "!", " ?", "..."]),
)
def test_case_spacing_and_trailing_punctuation_do_not_change_the_command(
    text: str, spaces: list[str], case, ending: str
) -> None:
    varied = "".join(spaces) + case(text).replace(" ", spaces[0]) + ending
    assert parse(varied).command == parse(text).command


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10).filter(
        lambda w: w.upper() not in CURRENCY_WORDS and w.upper() not in units()
    ),
    st.integers(1, 10**9),
    st.integers(1, 9999),
    st.sampled_from(["kg", "bag", "crate", "piece", "litre", "bunch", "tray", "dozen"]),
)
def test_a_well_formed_sell_reads_back_what_was_typed(
    item: str, price: int, quantity: int, unit: str
) -> None:
    command = parse(f"SELL {item} {price} {quantity} {unit}").command
    assert command == Sell(item.title(), str(price), quantity, unit)
