"""Texts from the locale files `menus/locales/<lang>/*.toml`; no text lives in code.

Each feature keeps its texts in its own file per language (`core.toml`, `sms.toml`, ...);
a key defined in two files of one language is an error. The languages are the `[language]`
table of the default language's `core.toml`, in its order: a new language is a new folder
and one more line there, no code.

A text that depends on a number is a table of CLDR plural forms (`one`, `other`, and in
other languages `zero`, `two`, `few`, `many`), chosen by Babel's plural rules for the
language from the value passed as `count`:

    [pin.wrong]
    one = "Wrong PIN. {count} try left."
    other = "Wrong PIN. {count} tries left."
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path

from babel import Locale

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})
"""CLDR plural categories; a locale table with only these keys (and `other`) is a plural text."""
COUNT = "count"
"""The value a plural text's form is chosen by."""


class MissingText(KeyError):
    """A key is absent from a locale file."""


class DuplicateText(ValueError):
    """Two locale files of one language define the same key."""


def _is_plural(table: dict[str, object]) -> bool:
    return "other" in table and table.keys() <= PLURAL_FORMS


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def _plurals(table: dict[str, object], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, value in table.items():
        if isinstance(value, dict):
            found |= {f"{prefix}{key}"} if _is_plural(value) else _plurals(value, f"{prefix}{key}.")
    return found


@cache
def _tables(language: str) -> tuple[tuple[str, dict[str, object]], ...]:
    tables = []
    for path in sorted((LOCALES / language).glob("*.toml")):
        with open(path, "rb") as fh:
            tables.append((path.name, tomllib.load(fh)))
    return tuple(tables)


@cache
def texts(language: str) -> dict[str, str]:
    """Every text of `language`, keyed `section.name` (plural forms `section.name.<form>`)."""
    merged: dict[str, str] = {}
    for name, table in _tables(language):
        flat = _flatten(table)
        clash = merged.keys() & flat.keys()
        if clash:
            raise DuplicateText(f"{language}/{name} redefines {sorted(clash)}")
        merged.update(flat)
    return merged


@cache
def plural_texts(language: str) -> frozenset[str]:
    """Keys of the texts of `language` that have plural forms."""
    return frozenset(key for _, table in _tables(language) for key in _plurals(table))


def _languages() -> tuple[str, ...]:
    with open(LOCALES / DEFAULT_LANGUAGE / "core.toml", "rb") as fh:
        return tuple(tomllib.load(fh)["language"])


LANGUAGES = _languages()
"""Every language the locale files hold, the default first."""


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@cache
def locale(language: str) -> Locale:
    """Babel's data for `language`: plural rules, number symbols, names."""
    return Locale.parse(language)


def plural_forms(language: str) -> frozenset[str]:
    """The plural forms `language` distinguishes (CLDR, through Babel), `other` included."""
    return frozenset(locale(language).plural_form.tags | {"other"})


def plural_form(language: str, count: int) -> str:
    """The CLDR plural form of `count` in `language`: `one`, `other`, ..."""
    return str(locale(language).plural_form(count))


def t(language: str | None, key: str, **values: object) -> str:
    """The text `key` in `language`, its `{placeholders}` filled from `values`; a plural
    text takes the form for `values["count"]`."""
    chosen = language_or_default(language)
    table = texts(chosen)
    template = table.get(key)
    if template is None and key in plural_texts(chosen):
        count = values[COUNT]
        if not isinstance(count, int):
            raise TypeError(f"{key!r} needs an integer count, got {count!r}")
        template = table.get(f"{key}.{plural_form(chosen, count)}", table[f"{key}.other"])
    if template is None:
        raise MissingText(f"{key!r} missing from menus/locales/{chosen}/")
    return template.format(**values)


def form(language: str, key: str, name: str, **values: object) -> str:
    """The plural form `name` of text `key` (`other` to speak of an amount not yet known:
    "How many bags?"); a text without plural forms as it is."""
    table = texts(language_or_default(language))
    if key in plural_texts(language_or_default(language)):
        return table.get(f"{key}.{name}", table[f"{key}.other"]).format(**values)
    return t(language, key, **values)


def has_text(language: str, key: str) -> bool:
    """Whether `key` is a text (plain or plural) of `language`."""
    return key in texts(language) or key in plural_texts(language)


def placeholders(template: str) -> set[str]:
    """Names of the `{fields}` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
