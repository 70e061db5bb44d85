"""Texts from the locale files `menus/locales/<lang>/*.toml`; no text lives in code.

Each feature keeps its texts in its own file per language (`core.toml`, `sms.toml`, ...);
a key defined in two files of one language is an error.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "sw", "fr")
DEFAULT_LANGUAGE = "en"


class MissingText(KeyError):
    """A key is absent from a locale file."""


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


class DuplicateText(ValueError):
    """Two locale files of one language define the same key."""


@cache
def texts(language: str) -> dict[str, str]:
    """Every text of `language`, keyed `section.name`, from all its locale files."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with open(path, "rb") as fh:
            table = _flatten(tomllib.load(fh))
        clash = merged.keys() & table.keys()
        if clash:
            raise DuplicateText(f"{language}/{path.name} redefines {sorted(clash)}")
        merged.update(table)
    return merged


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(language: str | None, key: str, **values: object) -> str:
    """The text `key` in `language`, its `{placeholders}` filled from `values`."""
    table = texts(language_or_default(language))
    try:
        template = table[key]
    except KeyError:
        raise MissingText(
            f"{key!r} missing from menus/locales/{language_or_default(language)}/"
        ) from None
    return template.format(**values)


def placeholders(template: str) -> set[str]:
    """Names of the `{fields}` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
