"""Phone number normalisation to E.164."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from config.countries import country_for_network

PARSED_KEPT = 8192
"""Most raw numbers whose E.164 form a process keeps."""


class InvalidPhone(ValueError):
    """Raised for input that is not a valid phone number; `key` is the locale key."""

    key = "phone.invalid"


def _parse_valid(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


@lru_cache(maxsize=PARSED_KEPT)
def to_e164(raw: str, default_region: str | None = None, network_code: str | None = None) -> str:
    """Normalise "+254…", "254…", "00254…" or national "07…" input to E.164.

    A national number needs a region: the country of `network_code` if known, else `default_region`.
    Answers are kept (`PARSED_KEPT`): a USSD session sends the same number on every hop.
    """
    digits = re.sub(r"[\s-]", "", raw)
    if not re.fullmatch(r"\+?[0-9]+", digits):
        raise InvalidPhone(f"Not a phone number: {raw!r}")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    network_country = country_for_network(network_code)
    region = network_country.iso if network_country else default_region
    candidates: list[tuple[str, str | None]]
    if digits.startswith("+"):
        candidates = [(digits, None)]
    else:
        candidates = [(digits, region)] if region else []
        if not digits.startswith("0"):
            candidates.append(("+" + digits, None))
    for number, number_region in candidates:
        parsed = _parse_valid(number, number_region)
        if parsed is not None:
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    raise InvalidPhone(f"Not a valid phone number: {raw!r}")


@lru_cache(maxsize=PARSED_KEPT)
def region_of(e164: str) -> str | None:
    """ISO alpha-2 region of an E.164 number, or None when it cannot be determined."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
