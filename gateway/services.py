"""The composition root: settings in, connections, unit of work, USSD engine and queues out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING
from typing import Protocol

from config.settings import Settings
from gateway.commerce.sending import Recipient
from gateway.store.connections import Connections
from gateway.store.uow import UnitOfWork
from gateway.store.ussd_sessions import UssdSessions
from menus.engine import Engine
from menus.journeys import SCREENS
from menus.render import Budget

if TYPE_CHECKING:
    from gateway.providers.registry import PaymentProviders

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, text: str, numbers: Sequence[str]) -> list[Recipient]: ...


class Services:
    """Everything a web request or a worker job needs, built once per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.connections = Connections(settings)

    def uow(self) -> UnitOfWork:
        """A fresh unit of work whose committed outbox rows are queued for the workers."""
        return UnitOfWork(self.connections.sessions, after_commit=self._queue_outbox)

    def _queue_outbox(self, item_ids: list[int]) -> None:
        from workers.queues import enqueue_outbox

        try:
            enqueue_outbox(self.connections.redis, item_ids)
        except Exception:  # the sweeper picks the rows up; the business change stands
            log.exception("could not queue outbox items %s; the sweeper will", item_ids)

    @cached_property
    def ussd_sessions(self) -> UssdSessions:
        return UssdSessions(
            self.connections.redis, self.settings.USSD_SESSION_TTL, self.settings.USSD_RESUME_TTL
        )

    @cached_property
    def sms_sender(self) -> SmsSender:
        """Africa's Talking at `at_api_url` when AT_API_KEY is set; in development without it,
        a local fake (started here) that logs what would have been sent."""
        from gateway.providers import africastalking_sms

        settings = self.settings
        if settings.AT_API_KEY:
            return africastalking_sms.AfricasTalkingSms(
                settings.AT_USERNAME,
                settings.AT_API_KEY,
                settings.at_api_url,
                settings.AT_SENDER_ID,
            )
        if not settings.is_development:
            return africastalking_sms.Unconfigured()
        from gateway.providers.fakes.africastalking import FakeAfricasTalking

        fake = FakeAfricasTalking().start()
        log.info("no AT_API_KEY: SMS go to the local fake Africa's Talking at %s", fake.url)
        return africastalking_sms.AfricasTalkingSms(fake.username, fake.api_key, fake.url)

    @cached_property
    def payment_providers(self) -> PaymentProviders:
        """Mobile-money clients chosen per country and network (gateway.providers.registry)."""
        from gateway.providers.registry import PaymentProviders

        return PaymentProviders(self.settings, self.connections.redis)

    @cached_property
    def engine(self) -> Engine:
        budget = Budget(
            self.settings.USSD_SCREEN_GSM,
            self.settings.USSD_SCREEN_UCS2,
            self.settings.USSD_PAGE_ITEMS,
        )
        return Engine(
            SCREENS,
            self.ussd_sessions,
            self.uow,
            budget,
            self.settings.USSD_MAX_INPUT,
            settings=self.settings,
        )
