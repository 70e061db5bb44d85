"""The goods vocabulary: common goods by name in every language, read from the `[goods]` table
of `menus/locales/<lang>/goods.toml` (one key per kind of goods; its value lists the names in
that language, comma-separated, the first being how a listing is shown to its readers).

It lets a search in one language find listings named in another (`mahindi`, `maïs` and
`maize` are the same goods), forgives one typo in a name, and shows a listing under its name
in the reader's language. A new word is one more key in every language's file; a new
language is one more file.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from gateway.text.folding import fold
from gateway.text.folding import one_typo
from menus.i18n import LANGUAGES
from menus.i18n import texts

SECTION = "goods"
TYPO_FROM = 4
"""Names this long or longer are found with one typo."""


@cache
def names() -> dict[str, dict[str, tuple[str, ...]]]:
    """`{goods: {language: names}}`, each language's display name first."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for language in LANGUAGES:
        for key, value in texts(language).items():
            if key.startswith(SECTION + "."):
                spelled = tuple(n.strip() for n in value.split(",") if n.strip())
                table.setdefault(key.removeprefix(SECTION + "."), {})[language] = spelled
    return table


@cache
def _index() -> dict[str, frozenset[str]]:
    """Every folded name in every language → the goods it names."""
    index: dict[str, set[str]] = {}
    for goods, by_language in names().items():
        for spelled in by_language.values():
            for name in spelled:
                index.setdefault(fold(name), set()).add(goods)
    return {name: frozenset(found) for name, found in index.items()}


def goods_named(text: str, typo: bool = True) -> frozenset[str]:
    """The goods `text` names in any language; with `typo`, allowing one typo when nothing
    is named exactly."""
    folded = fold(text)
    exact = _index().get(folded)
    if exact or not typo or len(folded) < TYPO_FROM:
        return exact or frozenset()
    return frozenset(
        goods for name, found in _index().items() if one_typo(folded, name) for goods in found
    )


def also_known_as(text: str) -> list[str]:
    """Every name, in every language, of the goods `text` names (none when it names none)."""
    return [
        name
        for goods in sorted(goods_named(text))
        for spelled in names()[goods].values()
        for name in spelled
    ]


def shown_name(language: str, name: str) -> str:
    """A listing's name as `language` calls those goods, when the vocabulary knows them;
    otherwise the name the seller gave."""
    found = goods_named(name, typo=False)
    if len(found) != 1:
        return name
    return names()[next(iter(found))][language][0]


def goods_prefix(words: Sequence[str]) -> int:
    """How many of `words` (an SMS's words after its keyword) make the longest name of goods
    the vocabulary knows; 0 when they start with none."""
    for size in range(len(words), 0, -1):
        if fold(" ".join(words[:size])) in _index():
            return size
    return 0
