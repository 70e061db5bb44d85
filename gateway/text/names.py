"""Names people type (goods, people, places, agent points), tidied so every screen can show them."""

from __future__ import annotations

from gateway.text.gsm import GSM7_BASIC
from gateway.text.gsm import transliterate

_REFUSED = frozenset("\n\r*#")
"""Line breaks would break a screen's layout; `*` and `#` are the keypad's own signs."""


def clean_name(text: str, longest: int, shortest: int = 2, needs_letter: bool = True) -> str | None:
    """`text` with spaces tidied and accents a phone can show, or None if it cannot be used.

    Usable means: `shortest` to `longest` characters, a letter (unless not `needs_letter`),
    every character in the GSM-7 basic table (one septet each, so the screen budget holds).
    """
    name = " ".join(transliterate(text).split())
    if not shortest <= len(name) <= longest:
        return None
    if needs_letter and not any(ch.isalpha() for ch in name):
        return None
    if any(ch not in GSM7_BASIC or ch in _REFUSED for ch in name):
        return None
    return name
