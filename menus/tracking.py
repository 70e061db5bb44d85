"""A parcel's track as people read it, by USSD and by SMS: its latest events, newest first.

`track_data` turns the domain's view into JSON (times in the reader's own time zone, places
cut short) so a USSD screen can render it from `ctx.data`; `track_lines` renders it in a
language.
"""

from __future__ import annotations

from datetime import UTC
from datetime import tzinfo
from typing import cast
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone
from sqlalchemy import String

from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.catalog.terms import UNITS
from gateway.commerce.parcels.carriers import CARRIER_NAME_MAX
from gateway.commerce.parcels.carriers import TRACKING_MAX
from gateway.commerce.parcels.states import TRANSITIONS
from gateway.commerce.parcels.tracking import TrackView
from gateway.commerce.refs import REF_LENGTH
from gateway.store.models.agents import AgentPoint
from menus.i18n import t

PLACE_SHOWN = 12
"""Characters of an event's place shown (three events must fit one USSD screen)."""
WHEN = "%d/%m %H:%M"


def zone_of(phone: str) -> tzinfo:
    """The time zone of the phone number's country (UTC when unknown)."""
    try:
        zones = timezone.time_zones_for_number(phonenumbers.parse(phone))
        return ZoneInfo(zones[0]) if zones and "/" in zones[0] else UTC
    except (phonenumbers.NumberParseException, ZoneInfoNotFoundError):
        return UTC


def short_place(place: str) -> str:
    """`place` cut to PLACE_SHOWN characters, at a space when there is one."""
    if len(place) <= PLACE_SHOWN:
        return place
    cut = place[: PLACE_SHOWN + 1].rsplit(" ", 1)[0]
    return (cut if 0 < len(cut) <= PLACE_SHOWN else place[:PLACE_SHOWN]).strip()


def track_data(view: TrackView, phone: str) -> dict[str, object]:
    """The view as JSON for the reader with `phone`."""
    zone = zone_of(phone)
    return {
        "ref": view.ref,
        "status": view.status,
        "events": [
            {
                "when": e.occurred_at.astimezone(zone).strftime(WHEN),
                "status": e.status,
                "place": short_place(e.location or ""),
            }
            for e in view.events
        ],
    }


def status_word(language: str, status: str) -> str:
    return t(language, f"parcel_status.{status}")


def track_lines(language: str, data: dict[str, object]) -> str:
    """One line per event: when, what, where."""
    return "\n".join(
        t(
            language,
            "parcels.event_line",
            when=e["when"],
            status=status_word(language, e["status"]),
            place=e["place"],
        ).strip()
        for e in data["events"]  # type: ignore[attr-defined]
    )


def track_values(language: str, data: dict[str, object]) -> dict[str, object]:
    """Placeholders of the track texts (USSD `parcels.tracked`, SMS `parcel_sms.track`)."""
    return {
        "ref": data["ref"],
        "status": status_word(language, str(data["status"])),
        "events": track_lines(language, data),
    }


def worst_data(language: str) -> dict[str, object]:
    """Parcel journey data at its widest, for the screen check (menus/budget.py)."""
    status = max(TRANSITIONS, key=lambda s: len(status_word(language, s)))
    ref = "W" * REF_LENGTH
    event = {"when": "29/11 23:59", "status": status, "place": "W" * PLACE_SHOWN}
    return {
        "parcel": {
            "ref": ref,
            "qty": MAX_QUANTITY,
            "unit": max(UNITS, key=lambda u: len(t(language, f"unit.{u}", count=MAX_QUANTITY))),
            "name": "W" * NAME_MAX,
        },
        "done": {"ref": ref, "status": status},
        "carrier": "w" * CARRIER_NAME_MAX,
        "tracking": "W" * TRACKING_MAX,
        "track": {"ref": ref, "status": status, "events": [event] * 3},
    }


def worst_sms_values(language: str) -> dict[str, object]:
    """The widest values of the parcel SMS placeholders, for the segment check."""
    name_max = cast(String, AgentPoint.__table__.c.name.type).length or 0
    hours_max = cast(String, AgentPoint.__table__.c.hours.type).length or 0
    return {
        "phone": "+" + "9" * 15,
        "point": f"{'W' * name_max} ({'W' * hours_max})",
        "hours": "W" * hours_max,
        "delivery_code": "9" * 6,
        "events": track_lines(language, worst_data(language)["track"]),  # type: ignore[arg-type]
    }
