"""Composing SMS replies from locale texts; shared by the handlers and the segment check."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.commerce.catalog.views import ListingView
from gateway.commerce.messaging.languages import language_for as preferred
from gateway.commerce.money import format_money
from gateway.commerce.orders.views import OrderView
from gateway.text.gsm import GSM7
from gateway.text.gsm import measure
from gateway.text.gsm import transliterate
from menus.goods import shown_name
from menus.i18n import LANGUAGES
from menus.i18n import MissingText
from menus.i18n import t
from menus.present import place_name
from menus.present import unit

MAX_SEGMENTS = 2
"""Longest SMS we send in GSM-7, in segments (306 characters); every template is checked."""
MAX_SEGMENTS_UCS2 = 3
"""Longest SMS we send in UCS-2 (Arabic), in segments: 201 characters, as a UCS-2 segment holds
67 where GSM-7 holds 153 (domain.md §4 budgets Arabic at about 2.3 times the segments)."""


def language_for(chosen: str | None, country: str, hinted: frozenset[str] = frozenset()) -> str:
    """The person's chosen language, else the one their keyword was in, else their country's."""
    return preferred(chosen, country, LANGUAGES, hinted)


def segments(text: str) -> int:
    """Segments of `text` as it will be sent (smart punctuation transliterated first)."""
    return measure(transliterate(text)).segments


def max_segments(text: str) -> int:
    """The most segments `text` may take, by the alphabet it is sent in."""
    return MAX_SEGMENTS if measure(transliterate(text)).encoding == GSM7 else MAX_SEGMENTS_UCS2


def status_word(language: str, status: str) -> str:
    """An order status in the person's words; a status without a text shows as it is."""
    try:
        return t(language, f"sms_status.{status}")
    except MissingText:
        return status


def listing_line(language: str, view: ListingView) -> str:
    return t(
        language,
        "sms.price_line",
        code=view.code,
        name=shown_name(language, view.name),
        price=format_money(view.price, language),
        unit=unit(language, view.unit, 1),
        place=place_name(language, view.country, view.place),
    )


def order_line(language: str, view: OrderView) -> str:
    return t(
        language,
        "sms.my_orders_line",
        ref=view.ref,
        status=status_word(language, view.status),
        total=format_money(view.total, language),
    )


def order_values(language: str, view: OrderView) -> dict[str, object]:
    """The placeholders of texts about one order (receipt, track)."""
    return {
        "ref": view.ref,
        "status": status_word(language, view.status),
        "qty": view.quantity,
        "unit": unit(language, view.unit, view.quantity),
        "name": view.name,
        "total": format_money(view.total, language),
    }


def fit(language: str, header: str, lines: Sequence[str], footer_key: str | None = None) -> str:
    """`header`, then as many `lines` as fit in `max_segments` with the footer, then the footer."""
    footer = [t(language, footer_key)] if footer_key else []
    chosen: list[str] = []
    for line in lines:
        reply = "\n".join([header, *chosen, line, *footer])
        if segments(reply) > max_segments(reply):
            break
        chosen.append(line)
    return "\n".join([header, *chosen, *footer])
