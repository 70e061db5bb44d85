"""Handling one stored inbound SMS: who sent it, the rate limit, the command, the answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from gateway.commerce.deps import Deps
from gateway.commerce.messaging.inbound import inbound
from gateway.commerce.messaging.inbound import settle
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.people.callers import identify
from gateway.commerce.people.callers import set_language
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.store.uow import UnitOfWork
from menus.i18n import t
from menus.sms.commands import HANDLERS
from menus.sms.commands import AlreadyHandled
from menus.sms.commands import Inbox
from menus.sms.commands import answer
from menus.sms.grammar import GrammarError
from menus.sms.grammar import parse
from menus.sms.replies import language_for

log = logging.getLogger(__name__)

ALWAYS_HEARD = frozenset({"stop", "start", "stop_agent"})
"""Commands run even past the rate limit: withdrawing consent must always work."""


class Limiter(Protocol):
    limit: int

    def hit(self, key: str) -> int: ...


def handle(inbound_id: int, deps: Deps, limiter: Limiter) -> None:
    """Run the command in inbound message `inbound_id` once, and queue its answer."""
    uows = deps.uow
    message = inbound(uows(), inbound_id)
    if message is None or message.status != "received":
        return
    try:
        phone = to_e164(message.from_number, network_code=message.network_code)
    except InvalidPhone:
        log.info("inbound SMS %s from %r ignored: not a phone", message.at_id, message.from_number)
        return _settle_only(uows, inbound_id, "ignored")
    caller = identify(uows(), phone, message.network_code)
    name: str | None
    bad = ""
    try:
        parsed = parse(message.text)
        command, name, languages, key = parsed.command, parsed.name, parsed.languages, None
    except GrammarError as err:
        command, name, languages, key, bad = None, err.command, err.languages, err.key, err.bad
    language = language_for(caller.language, caller.country, languages)
    if caller.language is None and len(languages) == 1:
        set_language(uows(), caller.id, language)  # remembered, like a choice made on USSD
    if name not in ALWAYS_HEARD:
        hits = limiter.hit(phone)
        if hits > limiter.limit:
            return _rate_limited(uows, inbound_id, phone, language, first=hits == limiter.limit + 1)
    inbox = Inbox(inbound_id, message.at_id, name, caller, language, deps)
    try:
        if command is None:
            answer(inbox, key, bad=bad)
        else:
            HANDLERS[type(command)](inbox, command)
    except AlreadyHandled:
        log.info("inbound SMS %s was handled by another run", message.at_id)


def _settle_only(uows: Callable[[], UnitOfWork], inbound_id: int, status: str) -> None:
    with uows() as uow:
        if settle(uow, inbound_id, status, None):
            uow.commit()


def _rate_limited(
    uows: Callable[[], UnitOfWork], inbound_id: int, phone: str, language: str, first: bool
) -> None:
    """Store the message as not run; the first time the limit is passed, say so once."""
    with uows() as uow:
        if not settle(uow, inbound_id, "rate_limited", None):
            return
        if first:
            queue_sms(uow, phone, t(language, "sms.rate_limited"), kind="reply")
        uow.commit()
