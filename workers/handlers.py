"""What each outbox topic does; a handler gets the services and the row's payload."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from gateway.services import Services

log = logging.getLogger(__name__)

Handler = Callable[[Services, dict[str, Any]], None]


def order_placed(services: Services, payload: dict[str, Any]) -> None:
    """Announce a new order to the operators' log; payments and SMS subscribe here later."""
    log.info("order %s placed", payload["order_id"])


HANDLERS: dict[str, Handler] = {"order.placed": order_placed}
