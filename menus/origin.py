"""Certificates of origin and cross-border prices as people read them, by USSD, SMS and on the
verify page: country names in the reader's language, a certificate's essentials, and the
widest values of each for the screen and SMS checks."""

from __future__ import annotations

from typing import Any

from config.countries import COUNTRIES
from config.trade import MAX_THRESHOLD_USD
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.catalog.terms import UNITS
from gateway.commerce.origin.certificates import CODE_LENGTH
from gateway.commerce.origin.certificates import CertificateView
from gateway.commerce.origin.crossing import REASONS
from gateway.commerce.origin.states import CERTIFICATE
from gateway.commerce.refs import REF_LENGTH
from menus.i18n import t
from menus.present import country_name
from menus.present import money
from menus.present import unit
from menus.worst_case import LARGEST_MINOR
from menus.worst_case import longest
from menus.worst_case import worst_currency

DAY = "%d/%m/%y"


def certificate_data(view: CertificateView) -> dict[str, object]:
    """A certificate's essentials as JSON (for a USSD screen's data and an SMS)."""
    return {
        "code": view.code,
        "status": view.status,
        "qty": view.quantity,
        "unit": view.unit,
        "name": view.description,
        "hs": view.hs_heading,
        "usd_minor": view.usd_value.minor,
        "value_minor": view.value.minor,
        "currency": view.value.currency,
        "origin": view.exporter_country,
        "destination": view.consignee_country,
        "exporter": view.exporter,
        "issued": view.issued_at.strftime(DAY),
        "used": view.used_at.strftime(DAY) if view.used_at else "",
    }


def state_word(language: str, status: str, used: str) -> str:
    """`VALID`, `USED 30/11/2026`, `CANCELLED` in the reader's words."""
    return t(language, f"origin.status_{status}", date=used).strip()


def certificate_values(language: str, data: dict[str, Any]) -> dict[str, object]:
    """The placeholders of `origin.verified` (USSD) and `verify_sms.answer` (SMS)."""
    return {
        "certificate": data["code"],
        "state": state_word(language, data["status"], data["used"]),
        "qty": data["qty"],
        "unit": unit(language, data["unit"], data["qty"])
        if data["unit"] in UNITS
        else data["unit"],
        "name": data["name"],
        "hs": data["hs"],
        "usd": money(language, data["usd_minor"], "USD"),
        "value": money(language, data["value_minor"], data["currency"]),
        "origin": country_name(language, data["origin"]),
        "destination": country_name(language, data["destination"]),
        "exporter": data["exporter"],
        "date": data["issued"],
    }


def widest_country(language: str) -> str:
    return max(COUNTRIES, key=lambda iso: len(country_name(language, iso)))


def widest_status(language: str) -> str:
    return max(CERTIFICATE.states, key=lambda s: len(state_word(language, s, "29/11/26")))


def worst_certificate(language: str) -> dict[str, object]:
    """A certificate's essentials at their widest."""
    country = widest_country(language)
    return {
        "code": "W" * CODE_LENGTH,
        "status": widest_status(language),
        "qty": MAX_QUANTITY,
        "unit": longest(language, "unit", UNITS),
        "name": "W" * NAME_MAX,
        "hs": "99.99",
        "usd_minor": MAX_THRESHOLD_USD * 100 + 99,
        "value_minor": LARGEST_MINOR,
        "currency": worst_currency(language),
        "origin": country,
        "destination": country,
        "exporter": "W" * NAME_MAX,
        "issued": "29/11/26",
        "used": "29/11/26",
    }


def worst_data(language: str) -> dict[str, object]:
    """Cross-border and certificate journey data at its widest, for the screen check."""
    currency = worst_currency(language)
    widest = _note_widest(language)
    reason = max(REASONS, key=lambda r: len(t(language, f"abroad.note_{r}", **widest)))
    return {
        "market": widest_country(language),
        "abroad": {
            "price_minor": LARGEST_MINOR,
            "currency": currency,
            "seller_price_minor": LARGEST_MINOR,
            "seller_currency": currency,
            "country": widest_country(language),
        },
        "crossing": {
            "regime": "full",
            "reason": reason,
            "total_minor": LARGEST_MINOR,
            "currency": currency,
            "seller_total_minor": LARGEST_MINOR,
            "seller_currency": currency,
            "usd_minor": LARGEST_MINOR,
            "threshold": MAX_THRESHOLD_USD,
        },
        "verified": worst_certificate(language),
        "seen": {
            "code": "W" * CODE_LENGTH,
            "status": widest_status(language),
            "ref": "W" * REF_LENGTH,
            "qty": MAX_QUANTITY,
            "unit": longest(language, "unit", UNITS),
            "name": "W" * NAME_MAX,
            "origin": widest_country(language),
            "destination": widest_country(language),
        },
    }


def _note_widest(language: str) -> dict[str, object]:
    country = country_name(language, widest_country(language))
    return {
        "usd": money(language, LARGEST_MINOR, "USD"),
        "limit": money(language, MAX_THRESHOLD_USD * 100, "USD"),
        "origin": country,
        "destination": country,
    }


def worst_sms_values(language: str) -> dict[str, object]:
    """The widest values of the certificate SMS placeholders, for the segment check."""
    return {
        **certificate_values(language, worst_certificate(language)),
        "certificate": "W" * CODE_LENGTH,
    }
