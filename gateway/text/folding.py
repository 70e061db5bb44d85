"""Text folded for matching (lower case, accents gone, anything but letters and digits a space;
Latin and Arabic letters), and the one typo matching forgives."""

from __future__ import annotations

import re
import unicodedata

ARABIC_LETTERS = "\u0621-\u064a"
"""The Arabic letters (hamza to yeh), as a regular expression range."""
_NOT_ALNUM = re.compile(rf"[^a-z0-9{ARABIC_LETTERS}]+")
_ARABIC = str.maketrans(
    {
        "\u0649": "\u064a",  # alef maksura typed for yeh
        "\u0629": "\u0647",  # teh marbuta typed as heh
        "\u0640": None,  # tatweel, the stretching stroke
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic digits
    }
)


def plain_arabic(text: str) -> str:
    """Arabic spelled one way, as phones type it several: `ى` as `ي`, `ة` as `ه`, no tatweel,
    Arabic-Indic digits as 0-9 (hamza seats and vowel marks go with the accents, by NFKD)."""
    return text.translate(_ARABIC)


def fold(text: str) -> str:
    """`"Tomates Fraîches!"` -> `"tomates fraiches"`, `"ذرة"` -> `"ذره"`; the same for SQLite
    and PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", plain_arabic(text).casefold())
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
