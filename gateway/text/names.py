"""Names people type (goods, people, places, agent points), tidied so every screen can show them."""

from __future__ import annotations

from gateway.text.gsm import GSM7_BASIC
from gateway.text.gsm import transliterate

_REFUSED = frozenset("\n\r*#")
"""Line breaks would break a screen's layout; `*` and `#` are the keypad's own signs."""
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
NO_LETTER = "no_letter"
BAD_CHARACTERS = "bad_characters"
PROBLEMS = (TOO_SHORT, TOO_LONG, NO_LETTER, BAD_CHARACTERS)
"""What can be wrong with a typed name, so an answer can say which."""


def tidy(text: str) -> str:
    """Spaces tidied, accents a phone cannot show replaced by plain letters."""
    return " ".join(transliterate(text).split())


def name_problem(
    text: str, longest: int, shortest: int = 2, needs_letter: bool = True
) -> str | None:
    """What is wrong with `text` as a name (one of PROBLEMS), or None when it can be used.

    Usable means: `shortest` to `longest` characters, a letter (unless not `needs_letter`),
    every character in the GSM-7 basic table (one septet each, so the screen budget holds).
    """
    name = tidy(text)
    if len(name) < shortest:
        return TOO_SHORT
    if len(name) > longest:
        return TOO_LONG
    if any(ch not in GSM7_BASIC or ch in _REFUSED for ch in name):
        return BAD_CHARACTERS
    if needs_letter and not any(ch.isalpha() for ch in name):
        return NO_LETTER
    return None


def clean_name(text: str, longest: int, shortest: int = 2, needs_letter: bool = True) -> str | None:
    """`text` tidied, or None if it cannot be used (see `name_problem`)."""
    if name_problem(text, longest, shortest, needs_letter) is not None:
        return None
    return tidy(text)
