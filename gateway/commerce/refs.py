"""Short references people can read aloud: no 0/O, no 1/I, so nothing is misheard."""

from __future__ import annotations

import secrets
from collections.abc import Callable

SPEAKABLE = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REF_LENGTH = 6


def new_ref(taken: Callable[[str], bool], length: int = REF_LENGTH) -> str:
    """A fresh random reference that `taken` says is unused."""
    while True:
        ref = "".join(secrets.choice(SPEAKABLE) for _ in range(length))
        if not taken(ref):
            return ref


def normalise_ref(text: str) -> str:
    """What a person typed, read as a reference: upper case, spaces and dashes gone."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
