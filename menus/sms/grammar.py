"""The SMS command grammar: a table of pure parsers, keyword → parser → command.

`parse(text)` finds the longest keyword at the start (in any language, any letter case,
any spacing or punctuation, a typo forgiven for harmless commands), then the keyword's parser
reads the rest into a command dataclass, or raises `GrammarError` with the locale key of the
usage reply. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from config.countries import COUNTRIES
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.origin.certificates import CODE_LENGTH as CERTIFICATE_CODE_LENGTH
from gateway.commerce.refs import normalise_ref
from menus.goods import goods_prefix
from menus.sms.vocabulary import match_keyword
from menus.sms.vocabulary import place_words
from menus.sms.vocabulary import tokens
from menus.sms.vocabulary import units

AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
"""A price as it may be typed: digits, optional thousands commas, optional decimals."""
COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
"""A quantity as it may be typed: digits, optional thousands commas."""
NUMBER_LIKE = re.compile(r"[-+]?[0-9][0-9.,]*(?:E[-+]?[0-9]+)?")
"""What stands where a number should: read strictly (AMOUNT, COUNT) or refused, never a word."""
BAD_SHOWN = 12
"""Most characters of a refused number repeated in the usage reply."""
CURRENCY_WORDS = frozenset(
    {c.currency for c in COUNTRIES.values()}
    | {"KSH", "KSHS", "TSH", "TSHS", "USH", "USHS", "SH", "SHS"}
)


class GrammarError(ValueError):
    """The text is not a command; `key` names the usage reply to send."""

    def __init__(
        self,
        key: str,
        command: str | None = None,
        languages: frozenset[str] = frozenset(),
        bad: str = "",
    ) -> None:
        super().__init__(key)
        self.key = key
        self.command = command
        self.languages = languages
        self.bad = bad
        """The part of the text that was not understood, as typed (cut to BAD_SHOWN)."""


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Sell:
    item: str
    price: str
    """As typed (`3,200`, `3200.50`): read in the seller's currency by the handler."""
    quantity: int = 1
    unit: str = "piece"


@dataclass(frozen=True)
class Price:
    item: str
    place: str | None = None


@dataclass(frozen=True)
class Order:
    code: str
    quantity: int = 1


@dataclass(frozen=True)
class Pause:
    """A seller takes their own listing `code` off sale (the one-word undo of SELL)."""

    code: str


@dataclass(frozen=True)
class MyOrders:
    pass


@dataclass(frozen=True)
class Track:
    ref: str


@dataclass(frozen=True)
class Verify:
    """Check a certificate of origin by its code (`VERIFY 7KM3PX9ARD`)."""

    code: str


@dataclass(frozen=True)
class Yes:
    pass


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class Start:
    pass


@dataclass(frozen=True)
class StopAgent:
    pass


Command = (
    Help | Sell | Price | Order | Pause | MyOrders | Track | Verify | Yes | Stop | Start | StopAgent
)


@dataclass(frozen=True)
class Parsed:
    """A command, and the languages whose keyword was used (to answer in one of them)."""

    command: Command
    name: str
    languages: frozenset[str]


def _refused(key: str, word: str) -> GrammarError:
    return GrammarError(key, bad=word[:BAD_SHOWN])


def _quantity(word: str) -> int:
    if not COUNT.fullmatch(word) or not 0 < int(word.replace(",", "")) <= MAX_QUANTITY:
        raise _refused("sms.bad_quantity", word)
    return int(word.replace(",", ""))


def _amount(word: str) -> str:
    if not AMOUNT.fullmatch(word):
        raise _refused("sms.bad_price", word)
    return word


def _words(words: list[str]) -> str:
    return " ".join(words).title()


def _sell(words: list[str]) -> Sell:
    unit = units().get(words[-1]) if words else None
    rest = words[:-1] if unit else list(words)
    numbers: list[str] = []
    while rest and NUMBER_LIKE.fullmatch(rest[-1]) and len(numbers) < 2:
        numbers.insert(0, rest.pop())
    if rest and rest[-1] in CURRENCY_WORDS:
        rest.pop()
    if not rest or not numbers or any(NUMBER_LIKE.fullmatch(w) for w in rest):
        raise GrammarError("sms.usage_sell")
    item = _words(rest)
    if len(item) > NAME_MAX:
        raise GrammarError("sms.name_too_long")
    price = _amount(numbers[0])
    quantity = _quantity(numbers[1]) if len(numbers) == 2 else 1
    return Sell(item, price, quantity, unit or "piece")


def _price(words: list[str]) -> Price:
    """`PRICE <item> [IN] [place]`: a name of goods the vocabulary knows is read whole first
    (`PRIX pommes de terre Goma`), so its last word is never taken for a place."""
    for at, word in enumerate(words):
        if word in place_words() and 0 < at < len(words) - 1:
            return Price(_words(words[:at]), _words(words[at + 1 :]))
    if not words:
        raise GrammarError("sms.usage_price")
    known = goods_prefix(words)
    if 0 < known < len(words):
        return Price(_words(words[:known]), _words(words[known:]))
    return Price(_words(words))


def _order(words: list[str]) -> Order:
    if not words or len(words) > 2 or not words[0].isalnum():
        raise GrammarError("sms.usage_order")
    return Order(normalise_ref(words[0]), _quantity(words[1]) if len(words) == 2 else 1)


def _pause(words: list[str]) -> Pause:
    if len(words) != 1 or not words[0].isalnum():
        raise GrammarError("sms.usage_pause")
    return Pause(normalise_ref(words[0]))


def _track(words: list[str]) -> Track:
    ref = normalise_ref("".join(words))
    if not 4 <= len(ref) <= 12:
        raise GrammarError("sms.usage_track")
    return Track(ref)


def _verify(words: list[str]) -> Verify:
    """The code as typed, spaces and dashes dropped (`7KM3-PX9A RD`); whether any
    certificate has it is the handler's question."""
    code = normalise_ref("".join(words))
    if len(code) != CERTIFICATE_CODE_LENGTH:
        raise GrammarError("verify_sms.usage")
    return Verify(code)


def _plain(command: Command) -> Callable[[list[str]], Command]:
    """A command that takes no arguments; anything after its keyword is ignored."""
    return lambda words: command


PARSERS: dict[str, Callable[[list[str]], Command]] = {
    "help": _plain(Help()),
    "sell": _sell,
    "price": _price,
    "order": _order,
    "pause": _pause,
    "my_orders": _plain(MyOrders()),
    "track": _track,
    "verify": _verify,
    "yes": _plain(Yes()),
    "stop": _plain(Stop()),
    "start": _plain(Start()),
    "stop_agent": _plain(StopAgent()),
}


def parse(text: str) -> Parsed:
    """Read one SMS as a command.

    Raises:
        GrammarError: the text is no command (key `sms.usage`) or a malformed one.
    """
    words = tokens(text)
    keyword = match_keyword(words)
    if keyword is None:
        raise GrammarError("sms.usage")
    try:
        command = PARSERS[keyword.command](words[len(keyword.words) :])
    except GrammarError as err:
        raise GrammarError(err.key, keyword.command, keyword.languages, err.bad) from None
    return Parsed(command, keyword.command, keyword.languages)
