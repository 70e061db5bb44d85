"""Payment news by SMS, in each person's language, queued in the caller's transaction.

The domain does not import the menus: the caller hands in the translator (`menus.i18n.t`)
with the USSD code to mention. Texts live in `menus/locales/<lang>/payments.toml`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from config.countries import UnknownCountry
from config.countries import country
from gateway.commerce.messages import queue_sms
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.store.models import Order
from gateway.store.models import Person
from gateway.store.uow import UnitOfWork

Translate = Callable[..., str]


def language_of(person: Person) -> str | None:
    """The person's chosen language, else their country's first one."""
    if person.language:
        return person.language
    try:
        return country(person.country).languages[0]
    except UnknownCountry:
        return None


@dataclass(frozen=True)
class Notices:
    """How payment results reach buyers, sellers and agents."""

    t: Translate
    service_code: str

    def tell(
        self, uow: UnitOfWork, person: Person, key: str, dedupe_key: str, **values: object
    ) -> None:
        """Queue `key` for `person` once per `dedupe_key` (payment results are transactional)."""
        text = self.t(language_of(person), key, service_code=self.service_code, **values)
        queue_sms(uow, person.phone, text, kind="transactional", dedupe_key=dedupe_key)

    def order_values(self, order: Order, person: Person) -> dict[str, object]:
        line = order.lines[0]
        try:
            unit = self.t(language_of(person), f"unit.{line.unit}")
        except KeyError:  # a unit the locale files do not name is shown as typed
            unit = line.unit
        return {
            "ref": order.ref,
            "total": format_money(Money(order.total_minor, order.currency)),
            "qty": line.quantity,
            "unit": unit,
            "name": line.name,
        }
