"""The SMS segment check: every SMS text, every language, worst-case values, at most 2 segments
(3 in UCS-2, as Arabic is sent: `menus.sms.replies.max_segments`).

SMS texts are those in a locale section named `sms` or `<feature>_sms` (`payment_sms`, ...).

Usage replies must fit in one segment. Replies built from lists (prices, orders) must show at
least one full line within the budget. A placeholder without a worst-case value here is a
problem too, so a new text cannot slip past the check.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.catalog.terms import UNITS
from gateway.commerce.refs import REF_LENGTH
from menus.i18n import LANGUAGES
from menus.i18n import PLURAL_FORMS as FORMS
from menus.i18n import form
from menus.i18n import placeholders
from menus.i18n import t
from menus.i18n import texts
from menus.origin import worst_sms_values as origin_worst_sms_values
from menus.sms.grammar import BAD_SHOWN
from menus.sms.replies import MAX_SEGMENTS_UCS2
from menus.sms.replies import fit
from menus.sms.replies import max_segments
from menus.sms.replies import segments
from menus.tracking import worst_sms_values
from menus.worst_case import PHONE_MAX
from menus.worst_case import PLACE_MAX
from menus.worst_case import worst_money

CODE_MAX = 8
"""Longest listing code (the `listings.code` column)."""
SERVICE_CODE_MAX = "*999*999*9999#"
LONGEST_WAIT = 99999
"""The widest number of minutes or hours a PIN lock can show."""
ONE_SEGMENT = ("sms.usage", "verify_sms.")
"""Texts (by prefix) that must fit one segment: the answer to anything we cannot read, and
every answer to a certificate check."""
ONE_MESSAGE_UCS2 = ("verify_sms.answer",)
"""One-segment texts that in UCS-2 may take `max_segments` (still one message on the phone): a
certificate's essentials alone take about 120 characters at worst, a UCS-2 segment 70."""
LISTS = {
    "sms.price_header": ("sms.price_line", "sms.price_footer"),
    "sms.my_orders_header": ("sms.my_orders_line", None),
}
"""List replies: header → (line, footer) composed by `menus.sms.replies.fit`."""


def is_sms_text(key: str) -> bool:
    """SMS texts live in the section `sms` or in a feature's `<feature>_sms` section."""
    section = key.split(".", 1)[0]
    return section == "sms" or section.endswith("_sms")


def worst_values(language: str) -> dict[str, object]:
    """The widest value each placeholder of an SMS text can take; add yours here."""
    money = worst_money(language)
    longest_status = max(
        (v for k, v in texts(language).items() if k.startswith("sms_status.")), key=len
    )
    reasons = (v for k, v in texts(language).items() if k.startswith("dispute_reason."))
    return {
        "code": "W" * CODE_MAX,
        "ref": "W" * REF_LENGTH,
        "name": "W" * NAME_MAX,
        "item": "W" * NAME_MAX,
        "agent": "W" * NAME_MAX,
        "place": "W" * PLACE_MAX,
        "price": money,
        "total": money,
        "unit": max((form(language, f"unit.{u}", f) for u in UNITS for f in FORMS), key=len),
        "each": max((form(language, f"unit.{u}", "one") for u in UNITS), key=len),
        "qty": MAX_QUANTITY,
        "count": MAX_QUANTITY,
        "reason": max(reasons, key=len),
        "seller_phone": "+" + "9" * (PHONE_MAX - 1),
        "max": max(MAX_QUANTITY, NAME_MAX),
        "bad": "W" * BAD_SHOWN,
        "status": longest_status,
        "service_code": SERVICE_CODE_MAX,
        "wait": max(
            (t(language, f"pin_wait.{unit}", n=LONGEST_WAIT) for unit in ("minutes", "hours")),
            key=len,
        ),
        **worst_sms_values(language),
        **origin_worst_sms_values(language),
    }


def _check_list(language: str, header_key: str, values: dict[str, object]) -> list[str]:
    line_key, footer_key = LISTS[header_key]
    line = t(language, line_key, **values)
    reply = fit(language, t(language, header_key, **values), [line] * 3, footer_key)
    if line not in reply:
        return [
            f"{language} SMS {header_key}: not even one {line_key} fits {max_segments(reply)} "
            "segments"
        ]
    return []


def check_sms(table: Callable[[str], dict[str, str]] = texts) -> list[str]:
    """Every SMS text of `table` (default: the locale files) too long at its worst, or with a
    placeholder the check cannot fill."""
    problems = []
    for language in LANGUAGES:
        values = worst_values(language)
        for key, template in sorted(table(language).items()):
            if not is_sms_text(key):
                continue
            unknown = placeholders(template) - values.keys()
            if unknown:
                problems.append(f"{language} SMS {key}: no worst-case value for {sorted(unknown)}")
                continue
            text = template.format(**values)
            one = key.startswith(ONE_SEGMENT) and not (
                key in ONE_MESSAGE_UCS2 and max_segments(text) == MAX_SEGMENTS_UCS2
            )
            limit = 1 if one else max_segments(text)
            parts = segments(text)
            if parts > limit:
                problems.append(
                    f"{language} SMS {key} takes {parts} segments at worst (max {limit})"
                )
        for header_key in LISTS:
            problems += _check_list(language, header_key, values)
    return problems
