"""The composition root: settings in, connections, unit of work, USSD engine and queues out."""

from __future__ import annotations

import logging
from functools import cached_property

from config.settings import Settings
from gateway.store.connections import Connections
from gateway.store.uow import UnitOfWork
from gateway.store.ussd_sessions import UssdSessions
from menus.engine import Engine
from menus.journeys import SCREENS
from menus.render import Budget

log = logging.getLogger(__name__)


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
    def engine(self) -> Engine:
        budget = Budget(
            self.settings.USSD_SCREEN_GSM,
            self.settings.USSD_SCREEN_UCS2,
            self.settings.USSD_PAGE_ITEMS,
        )
        return Engine(SCREENS, self.ussd_sessions, self.uow, budget, self.settings.USSD_MAX_INPUT)
