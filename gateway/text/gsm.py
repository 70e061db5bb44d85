"""Text measurement for USSD screens and SMS (3GPP TS 23.038 / 23.040).

GSM-7 text is counted in septets (extension-table characters take 2: ESC + code);
anything outside GSM-7 makes the whole text UCS-2, counted in UTF-16 code units.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

# Basic table, row by row (ESC at 0x1B is a control code, not a character).
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

# Extension table: each is sent as ESC + code, i.e. 2 septets.
GSM7_EXTENSION: frozenset[str] = frozenset("^{}\\[~]|€\f")
GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

_TRANSLITERATION: dict[int, str] = str.maketrans(
    {
        **dict.fromkeys("‘’‚′", "'"),
        **dict.fromkeys("“”„″", '"'),
        **dict.fromkeys("–—‒−", "-"),
        "…": "...",
        "•": "*",
        **dict.fromkeys(_SPACES, " "),
        **dict.fromkeys("áâ", "a"),
        **dict.fromkeys("êë", "e"),
        **dict.fromkeys("îïí", "i"),
        **dict.fromkeys("ôó", "o"),
        **dict.fromkeys("ûú", "u"),
        "ç": "c",
        "œ": "oe",
        **dict.fromkeys("ÀÁÂ", "A"),
        **dict.fromkeys("ÈÊË", "E"),
        **dict.fromkeys("ÌÎÏÍ", "I"),
        **dict.fromkeys("ÒÔÓ", "O"),
        **dict.fromkeys("ÙÛÚ", "U"),
        "Œ": "OE",
    }
)


@dataclass(frozen=True)
class Measure:
    """Encoding, length in units (septets or UTF-16 units) and SMS segment count."""

    encoding: str
    units: int
    segments: int


def transliterate(text: str) -> str:
    """Replace smart punctuation, unicode spaces and some accented letters with GSM-7 equivalents."""
    return text.translate(_TRANSLITERATION)


def is_gsm7(text: str) -> bool:
    """True if every character is in the GSM-7 basic or extension table."""
    return GSM7_ALL.issuperset(text)


def encoding(text: str) -> str:
    """Return "GSM-7" if the text is representable in GSM-7, else "UCS-2"."""
    return GSM7 if is_gsm7(text) else UCS2


def _char_units(text: str, enc: str) -> list[int]:
    """Per-character cost: septets for GSM-7, UTF-16 code units for UCS-2."""
    if enc == GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def length_units(text: str) -> int:
    """Septets (extension chars count 2) for GSM-7, UTF-16 code units for UCS-2."""
    if is_gsm7(text):
        return len(text) + sum(text.count(ch) for ch in GSM7_EXTENSION.intersection(text))
    return sum(_char_units(text, UCS2))


def _segments(costs: list[int], single: int, part: int) -> int:
    """Segment count; multipart parts are filled greedily without splitting a character."""
    if sum(costs) <= single:
        return 1
    count, used = 1, 0
    for cost in costs:
        if used + cost > part:
            count, used = count + 1, 0
        used += cost
    return count


def segments(text: str) -> int:
    """Number of SMS parts needed to send the text (at least 1)."""
    return measure(text).segments


def measure(text: str) -> Measure:
    """Encoding, unit length and segment count of an SMS text."""
    enc = encoding(text)
    costs = _char_units(text, enc)
    if enc == GSM7:
        parts = _segments(costs, GSM7_SINGLE, GSM7_PART)
    else:
        parts = _segments(costs, UCS2_SINGLE, UCS2_PART)
    return Measure(encoding=enc, units=sum(costs), segments=parts)


def screen_limit(text: str, gsm_limit: int = 160, ucs2_limit: int = 80) -> int:
    """Maximum USSD screen length for the text's encoding."""
    return gsm_limit if is_gsm7(text) else ucs2_limit


def screen_fits(text: str, gsm_limit: int = 160, ucs2_limit: int = 80) -> bool:
    """True if the USSD screen text (including "CON "/"END ") fits its encoding's limit."""
    return length_units(text) <= screen_limit(text, gsm_limit, ucs2_limit)
