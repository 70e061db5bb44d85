"""Text folded for matching: lower case, accents gone, anything but letters and digits a space."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """`"Tomates Fraîches!"` -> `"tomates fraiches"`; the same for SQLite and PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", plain).strip()
