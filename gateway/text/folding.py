"""Text folded for matching (lower case, accents gone, anything but letters and digits a space),
and the one typo matching forgives."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """`"Tomates Fraîches!"` -> `"tomates fraiches"`; the same for SQLite and PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", plain).strip()


def one_typo(typed: str, word: str) -> bool:
    """Equal but for one letter changed, added or dropped, or two neighbours swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) != len(word):
        short, long = sorted((typed, word), key=len)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
    diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    if len(diff) == 1:
        return True
    first, second = diff[0], diff[-1]
    return (
        len(diff) == 2
        and second == first + 1
        and typed[first] == word[second]
        and typed[second] == word[first]
    )
