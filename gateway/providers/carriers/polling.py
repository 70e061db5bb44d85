"""Carriers without webhooks, asked for news: an interface and one HTTP implementation.

The HTTP carrier answers `GET {base}/v1/shipments/{tracking_ref}/events` (header
`Authorization: Bearer <key>`) with `{"tracking_ref": ..., "events": [{event_id, status,
occurred_at, location, note}, ...]}` in the webhook's vocabulary; 404 means it has no news of
the parcel yet. Errors say whether asking again later makes sense; the worker backs off.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote

import requests

from gateway.providers import http
from gateway.providers.carriers.events import CarrierEvent
from gateway.providers.carriers.events import Malformed
from gateway.providers.carriers.events import event_of
from gateway.providers.errors import SendError


class Carrier(Protocol):
    """A carrier Sokoni polls."""

    name: str

    def events(self, tracking_ref: str) -> list[CarrierEvent]:
        """Every event the carrier reports for the parcel, oldest first.

        Raises:
            SendError: `retryable` when asking again later may work.
        """
        ...


class HttpCarrier:
    """A carrier speaking the JSON tracking API above."""

    def __init__(self, name: str, base_url: str, api_key: str) -> None:
        self.name = name
        self._base = base_url.rstrip("/")
        self._session = requests.Session()
        self._session.headers.update(
            {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        )

    def events(self, tracking_ref: str) -> list[CarrierEvent]:
        url = f"{self._base}/v1/shipments/{quote(tracking_ref, safe='')}/events"
        response = http.call(self._session, "GET", url)
        if response.status_code == 404:
            return []
        if response.status_code != 200:
            raise http.http_error(response)
        items = http.json_body(response).get("events")
        if not isinstance(items, list):
            raise SendError("answer without an events list")
        try:
            return [
                event_of({"tracking_ref": tracking_ref, **item}, carrier=self.name)
                for item in items
            ]
        except (Malformed, TypeError) as err:
            raise SendError(f"malformed event: {err}") from err


def settings_table(text: str) -> dict[str, str]:
    """`a=x, b=y` as {"a": "x", "b": "y"} (names lower-cased)."""
    table = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        table[name.strip().lower()] = value.strip()
    return table


def polled_carriers(urls: str, keys: str) -> dict[str, Carrier]:
    """The carriers of POLLED_CARRIERS, each with its key from CARRIER_API_KEYS."""
    api_keys = settings_table(keys)
    return {
        name: HttpCarrier(name, url, api_keys.get(name, ""))
        for name, url in settings_table(urls).items()
    }
