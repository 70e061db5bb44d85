"""News by SMS (payments, payouts, parcels, receipts), in each person's language, queued in
the caller's transaction.

The domain does not import the menus: the composition root hands in the translator
(`menus.i18n.t`), the languages it has texts for and the USSD code to mention. Texts live in
`menus/locales/<lang>/*.toml`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from gateway.commerce.messaging.languages import language_for
from gateway.commerce.messaging.outgoing import Secret
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

Translate = Callable[..., str]


@dataclass(frozen=True)
class Words:
    """A value that is itself a text (`key` with its `values`), written in the reader's
    language when the notice is: a reason, a point's opening hours."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Notices:
    """How news reaches buyers, sellers and agents."""

    t: Translate
    languages: Sequence[str]
    """Languages the locale files hold, the default first."""
    service_code: str

    def language_of(self, person: Person) -> str:
        return language_for(person.language, person.country, self.languages)

    def tell(
        self, uow: UnitOfWork, person: Person, key: str, dedupe_key: str, **values: object
    ) -> None:
        """Queue `key` for `person` once per `dedupe_key` (news they asked for is transactional);
        a `Secret` among the values (a delivery code) is never stored in the text; Money and
        Words values are written in the person's language."""
        language = self.language_of(person)
        text = self.t(
            language,
            key,
            service_code=self.service_code,
            **{name: self.shown(language, value) for name, value in values.items()},
        )
        secret = next((str(v) for v in values.values() if isinstance(v, Secret)), None)
        queue_sms(
            uow, person.phone, text, kind="transactional", dedupe_key=dedupe_key, secret=secret
        )

    def shown(self, language: str, value: object) -> object:
        """`value` as the reader sees it: money in their convention, words in their language."""
        if isinstance(value, Money):
            return format_money(value, language)
        if isinstance(value, Words):
            return self.t(language, value.key, **value.values)
        return value

    def order_values(self, order: Order, person: Person) -> dict[str, object]:
        """An order's texts for `person`; the seller's total is theirs, in their currency."""
        line = order.lines[0]
        try:
            unit = self.t(self.language_of(person), f"unit.{line.unit}", count=line.quantity)
        except KeyError:  # a unit the locale files do not name is shown as typed
            unit = line.unit
        return {
            "ref": order.ref,
            "total": (
                Money(order.seller_total_minor, order.seller_currency)
                if person.id == order.seller_id
                else Money(order.total_minor, order.currency)
            ),
            "qty": line.quantity,
            "unit": unit,
            "name": line.name,
        }
