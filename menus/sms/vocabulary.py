"""What people may type, read from the locale files: command keywords and unit words.

Text is compared in a folded form: accents dropped, upper case, one space between words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from gateway.text.folding import ARABIC_LETTERS
from gateway.text.folding import one_typo
from gateway.text.folding import plain_arabic
from gateway.text.gsm import transliterate
from menus.i18n import LANGUAGES
from menus.i18n import texts

TOKEN = re.compile(
    rf"(?<![A-Z0-9{ARABIC_LETTERS}])[-+]?[0-9]+(?:[.,][0-9]+)*(?:E[-+]?[0-9]+)?(?![A-Z0-9])"
    rf"|[A-Z0-9{ARABIC_LETTERS}]+(?:[.,][0-9]+)*"
)
"""A number as typed, sign and exponent included (`-5`, `1E9`, `3,200`), so that the grammar
can refuse it; or a word, in Latin or Arabic letters. Other punctuation divides."""
GUESSABLE = frozenset({"help", "price", "order", "track", "my_orders"})
"""Commands whose keyword may carry one typo: guessing wrong only costs a usage reply."""


def fold(text: str) -> str:
    """Upper case without accents or smart punctuation: `Arrêt` and `ARRET` read the same, and
    so do `أسعار` and `اسعار`."""
    plain = unicodedata.normalize("NFKD", plain_arabic(transliterate(text)))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).upper()


def tokens(text: str) -> list[str]:
    return TOKEN.findall(fold(text))


@dataclass(frozen=True)
class Keyword:
    """One way to type a command: its words, the command, and the languages that use it."""

    words: tuple[str, ...]
    command: str
    languages: frozenset[str]


def _alternatives(section: str) -> dict[str, dict[tuple[str, ...], set[str]]]:
    """`{name: {words: languages}}` for every comma-separated alternative in `section`."""
    table: dict[str, dict[tuple[str, ...], set[str]]] = {}
    for language in LANGUAGES:
        for key, value in texts(language).items():
            if not key.startswith(section + "."):
                continue
            name = key.removeprefix(section + ".")
            for alternative in value.split(","):
                words = tuple(tokens(alternative))
                if words:
                    table.setdefault(name, {}).setdefault(words, set()).add(language)
    return table


@cache
def keywords() -> tuple[Keyword, ...]:
    """Every command keyword of every language, longest first (`STOP AGENT` before `STOP`)."""
    found = [
        Keyword(words, command, frozenset(languages))
        for command, spellings in _alternatives("sms_keywords").items()
        if command != "near"
        for words, languages in spellings.items()
    ]
    return tuple(sorted(found, key=lambda k: (-len(k.words), k.words)))


@cache
def place_words() -> frozenset[str]:
    """Words that put a place after an item: `PRICE maize IN Nakuru`."""
    return frozenset(" ".join(w) for w in _alternatives("sms_keywords").get("near", {}))


@cache
def units() -> dict[str, str]:
    """Every unit word of every language (`BAGS`, `GUNIA`, `SAC`) → the unit slug."""
    table = {}
    for slug, spellings in _alternatives("sms_units").items():
        for words in spellings:
            table[" ".join(words)] = slug
    return table


def _typo_of(words: list[str], keyword: Keyword) -> bool:
    """`words` start with `keyword` but for one typo in one of its words (of 4 letters or more)."""
    typed = words[: len(keyword.words)]
    if len(typed) < len(keyword.words):
        return False
    differ = [(t, k) for t, k in zip(typed, keyword.words, strict=True) if t != k]
    return len(differ) == 1 and len(differ[0][1]) >= 4 and one_typo(*differ[0])


def match_keyword(words: list[str]) -> Keyword | None:
    """The longest keyword `words` start with; else the one command whose keyword they start
    with but for one typo (`ORDR`, `MY ORDRS`, `MES COMANDES`)."""
    for keyword in keywords():
        if tuple(words[: len(keyword.words)]) == keyword.words:
            return keyword
    guesses = {
        keyword.command: keyword
        for keyword in keywords()
        if keyword.command in GUESSABLE and _typo_of(words, keyword)
    }
    return next(iter(guesses.values())) if len(guesses) == 1 else None
