"""The composition root: settings in; connections, the domain's dependencies, the USSD engine,
the SMS sender and the payment providers out, each built once per process.

The web app (`gateway.app`), the workers (`workers.runtime`) and the operator commands
(`gateway.cli`) all start here; nothing below this module reads the settings itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import cached_property
from typing import Protocol

from config.settings import Settings
from gateway.commerce.clock import Clock
from gateway.commerce.clock import utc_now
from gateway.commerce.deps import Deps
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.parcels.carriers import parse_carriers
from gateway.commerce.parcels.rules import Rules
from gateway.commerce.payments.callbacks import results_about_payout
from gateway.commerce.payments.checks import Schedule
from gateway.commerce.payments.checks import parse_delays
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.payments.payouts import DuePayout
from gateway.commerce.payments.payouts import payout_named
from gateway.commerce.people.pins import PinLock
from gateway.providers.africastalking.sms import AfricasTalkingSms
from gateway.providers.africastalking.sms import Recipient
from gateway.providers.africastalking.sms import Unconfigured
from gateway.providers.carriers.polling import Carrier
from gateway.providers.carriers.polling import polled_carriers
from gateway.providers.errors import MalformedCallback
from gateway.providers.errors import SendError
from gateway.providers.payments.base import PayoutQuery
from gateway.providers.payments.base import PayoutStatus
from gateway.providers.payments.registry import PaymentProviders
from gateway.store.connections import Connections
from gateway.store.rate_limit import RateLimit
from gateway.store.shelf import Shelf
from gateway.store.uow import UnitOfWork
from gateway.store.ussd_sessions import UssdSessions
from menus.engine import Engine
from menus.i18n import LANGUAGES
from menus.i18n import t
from menus.journeys.registry import SCREENS
from menus.render import Budget
from workers.queues import Waker
from workers.queues import queues_of

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, text: str, numbers: Sequence[str]) -> list[Recipient]: ...


def parcel_rules(settings: Settings) -> Rules:
    return Rules(
        code_tries=settings.DELIVERY_CODE_TRIES,
        lock=timedelta(seconds=settings.DELIVERY_CODE_LOCK),
        return_window=timedelta(seconds=settings.RETURN_WINDOW),
        pickup_days=settings.PARCEL_PICKUP_DAYS,
        notify_window=timedelta(seconds=settings.PARCEL_NOTIFY_WINDOW),
        resend_gap=timedelta(seconds=settings.DELIVERY_CODE_RESEND_GAP),
        event_max_age=timedelta(seconds=settings.CARRIER_EVENT_MAX_AGE),
    )


def rates(settings: Settings) -> Rates:
    return Rates(
        fee_bps=settings.PLATFORM_FEE_BPS,
        commission_bps=settings.AGENT_COMMISSION_BPS,
        return_window=timedelta(seconds=settings.RETURN_WINDOW),
    )


def payment_schedule(settings: Settings) -> Schedule:
    return Schedule(
        check_delays=parse_delays(settings.PAYMENT_CHECK_DELAYS),
        give_up=timedelta(seconds=settings.PAYMENT_GIVE_UP),
        expiry=timedelta(seconds=settings.PAYMENT_EXPIRY),
        payout_delays=parse_delays(settings.PAYOUT_CHECK_DELAYS),
        payout_checks=settings.PAYOUT_CHECK_LIMIT,
    )


def payout_query(providers: PaymentProviders, due: DuePayout) -> PayoutQuery:
    """How to ask `due`'s provider about it; an answer by callback comes to its usual URL."""
    return PayoutQuery(
        due.request_key,
        due.provider_ref,
        due.phone,
        due.currency,
        providers.callback_url(due.provider),
    )


class Services:
    """Everything a web request, a worker job or an operator command needs."""

    def __init__(self, settings: Settings, clock: Clock = utc_now, wake_every: float = 0) -> None:
        self.settings = settings
        self.connections = Connections(settings)
        self.clock = clock
        self.shelf = Shelf(settings.CATALOGUE_CACHE_SECONDS)
        self.wake_every = wake_every
        """Seconds between wakes of one queue by this process (a web process: WAKE_EVERY)."""

    def uow(self) -> UnitOfWork:
        """A fresh unit of work whose committed outbox rows are queued for the workers."""
        return UnitOfWork(
            self.connections.sessions,
            after_commit=self._queue_outbox,
            people_changed=self._stamp_callers,
            shelf=self.shelf,
            autocommit_sessions=self.connections.autocommit_sessions,
        )

    @cached_property
    def _waker(self) -> Waker:
        return Waker(self.connections.redis, self.wake_every)

    def _queue_outbox(self, topics: list[str]) -> None:
        """Wake the queues of rows just committed (each at most every `wake_every` seconds)."""
        try:
            self._waker(queues_of(topics))
        except Exception:  # the sweeper picks the rows up; the business change stands
            log.exception("could not queue outbox rows of %s; the sweeper will", topics)

    def _stamp_callers(self, phones: set[str]) -> None:
        try:
            self.ussd_sessions.callers_changed(phones)
        except Exception:  # the change stands; a live session may show the old view a while
            log.exception("could not stamp %d changed callers for USSD sessions", len(phones))

    @cached_property
    def deps(self) -> Deps:
        """The domain's dependencies, from the settings."""
        settings = self.settings
        return Deps(
            uow=self.uow,
            clock=self.clock,
            notices=Notices(t, LANGUAGES, settings.USSD_SERVICE_CODE),
            parcel_rules=parcel_rules(settings),
            rates=rates(settings),
            payment_schedule=payment_schedule(settings),
            pin_lock=PinLock(tuple(timedelta(seconds=s) for s in settings.pin_lock_steps)),
            carriers=parse_carriers(settings.CARRIERS),
            fx_max_age=timedelta(days=settings.FX_MAX_AGE_DAYS),
            may_verify=self.may_verify,
        )

    def may_verify(self, who: str) -> bool:
        """Count one verification by `who`; False past VERIFY_LIMIT in this window."""
        limit = RateLimit(
            self.connections.redis,
            "verify",
            self.settings.VERIFY_LIMIT,
            self.settings.VERIFY_WINDOW,
        )
        return limit.hit(who) <= limit.limit

    @cached_property
    def ussd_sessions(self) -> UssdSessions:
        settings = self.settings
        return UssdSessions(
            self.connections.redis,
            settings.USSD_SESSION_TTL,
            settings.USSD_RESUME_TTL,
            settings.USSD_CALLER_TTL,
        )

    @cached_property
    def sms_sender(self) -> SmsSender:
        """Africa's Talking at `at_api_url` when AT_API_KEY is set; in development without it,
        a local fake (started here) that logs what would have been sent."""
        settings = self.settings
        if settings.AT_API_KEY:
            return AfricasTalkingSms(
                settings.AT_USERNAME,
                settings.AT_API_KEY,
                settings.at_api_url,
                settings.AT_SENDER_ID,
            )
        if not settings.is_development:
            return Unconfigured()
        # Deferred: the fake is a Flask app, needed only by development without a key.
        from gateway.providers.fakes.africastalking import FakeAfricasTalking

        fake = FakeAfricasTalking(show_texts=True).start()
        log.info("no AT_API_KEY: SMS go to the local fake Africa's Talking at %s", fake.url)
        return AfricasTalkingSms(fake.username, fake.api_key, fake.url)

    @cached_property
    def payment_providers(self) -> PaymentProviders:
        """Mobile-money clients chosen per country and network."""
        return PaymentProviders(self.settings, self.connections.redis)

    @cached_property
    def polled_carriers(self) -> dict[str, Carrier]:
        """Carriers without webhooks that Sokoni asks for news, by name."""
        return polled_carriers(self.settings.POLLED_CARRIERS, self.settings.CARRIER_API_KEYS)

    @cached_property
    def engine(self) -> Engine:
        budget = Budget(
            self.settings.USSD_SCREEN_GSM,
            self.settings.USSD_SCREEN_UCS2,
            self.settings.USSD_PAGE_ITEMS,
        )
        return Engine(SCREENS, self.ussd_sessions, self.deps, budget, self.settings.USSD_MAX_INPUT)

    def payout_word(self, payout_id: int) -> tuple[PayoutStatus | None, str | None]:
        """What a payout's provider says now if it can be asked at once, else the newest final
        result it sent about the payout (None when it says nothing final), and why it could
        not be asked, if it could not.

        Raises:
            PayoutNotFound: no payout has this id, or it was never given to a provider.
        """
        named = payout_named(self.uow(), payout_id)
        provider = self.payment_providers.get(named.provider)
        unreachable = None
        if provider.payout_queries:
            try:
                said = provider.check_payout(payout_query(self.payment_providers, named))
            except SendError as err:
                unreachable = f"{named.provider} could not be asked: {err}"
            else:
                if said is not None and said.state != "pending":
                    return said, None
        for body in results_about_payout(self.uow(), payout_id):
            try:
                stored = provider.parse_callback(body)
            except MalformedCallback:
                continue
            if isinstance(stored, PayoutStatus) and stored.state != "pending":
                return stored, unreachable
        return None, unreachable
