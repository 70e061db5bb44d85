"""Control characters from outside: refused in identifiers, dropped from free text, replaced
in evidence kept as it came.

A control character is one of Unicode category Cc (U+0000-U+001F, U+007F-U+009F) or a lone
surrogate (category Cs, which JSON's `\\ud800` escapes can carry and no database stores).
Free text keeps tab and newline, the two a person can type.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Any control character or lone surrogate."""
UNTYPABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters but tab and newline."""
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""What no database column takes: NUL (PostgreSQL refuses it) and lone surrogates."""


def has_control(text: str) -> bool:
    """Whether `text` holds a control character (identifiers with one are refused)."""
    return CONTROL.search(text) is not None


def drop_control(text: str) -> str:
    """`text` without control characters, tab and newline kept."""
    return UNTYPABLE.sub("", text)


def storable(text: str) -> str:
    """`text` kept as evidence, as it came, but NUL and lone surrogates become U+FFFD."""
    return UNSTORABLE.sub("\ufffd", text)
