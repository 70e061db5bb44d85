"""Redis behind Sentinel: the gateway (gunicorn) and an RQ worker find the primary through three
sentinels; the primary is killed mid-run with work queued and callers mid-journey. The replica
takes over, hops carry on (a hop caught by the failover may end with the clean `END`, one per
caller at most) and every queued SMS reply is sent, each exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from gateway.bootstrap import Services
from gateway.providers.fakes.africastalking import FakeAfricasTalking
from gateway.store.models.messages import SmsInbound
from menus.i18n import t
from tests.conftest import Phone
from tests.faults.support import env_of
from tests.faults.support import kill_worker
from tests.faults.support import sent_once
from tests.faults.support import wait_until
from tests.faults.support import worker_process
from tests.http_support import Gunicorn
from tests.http_support import HttpClient
from tests.journeys_support import choose
from tests.scale.support import MASTER
from tests.scale.support import NO_SENTINEL
from tests.scale.support import REDIS_SENTINEL
from tests.scale.support import REDIS_SERVER
from tests.scale.support import SentinelGroup
from tests.scale.support import inbound_sms

pytestmark = pytest.mark.skipif(not (REDIS_SERVER and REDIS_SENTINEL), reason=NO_SENTINEL)

CALLERS = ("+254711000601", "+254711000602", "+254711000603")
TEXTERS = [f"+2547110007{n:02d}" for n in range(6)]
"""One number per inbound SMS, so no per-number limit applies."""
CLEAN_END = "END " + t(None, "system.error")
WAY_IN = ("Start over", "English", "Kenya", "Buy", "Grains and flour")
"""What a caller chooses, whichever of it a screen offers."""


@pytest.fixture()
def group(tmp_path: Path) -> Iterator[SentinelGroup]:
    started = SentinelGroup(tmp_path).start()
    yield started
    started.stop()


class Caller(threading.Thread):
    """A handset that walks the first menus over and over until stopped, recording every
    answer; after a clean END it waits for the failover to be over, then dials again."""

    def __init__(self, url: str, number: str, stop: threading.Event, over: threading.Event):
        super().__init__(daemon=True, name=f"caller-{number}")
        self.phone = Phone(HttpClient(url), number)  # type: ignore[arg-type]
        self.stop, self.over = stop, over
        self.answers: list[tuple[bool, str]] = []
        """(the failover was over when the hop was sent, its answer)."""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self._walk()
                if self.answers[-1][1] == CLEAN_END:
                    self.over.wait()
        except BaseException as err:  # reported by the test, not lost in the thread
            self.error = err

    def _walk(self) -> None:
        """Dial, then choose whichever step of a buyer's way in the screen offers, until none."""
        self._hop(None)
        while not self.stop.is_set() and (screen := self.answers[-1][1]).startswith("CON "):
            offered = [label for label in WAY_IN if f". {label}" in screen]
            if not offered:
                return
            self._hop(choose(screen, offered[0]))

    def _hop(self, choice: str | None) -> None:
        """Dial (no choice) or send `choice`; record the answer."""
        after = self.over.is_set()
        answer = self.phone.dial() if choice is None else self.phone.send(choice)
        self.answers.append((after, answer))


def test_a_failover_mid_run_ends_at_most_the_hop_in_flight_and_loses_no_queued_sms(
    services: Services, fake_at: FakeAfricasTalking, group: SentinelGroup, tmp_path: Path
) -> None:
    env = {
        **env_of(services.settings),
        "REDIS_URL": "",
        "REDIS_SENTINELS": group.addresses,
        "REDIS_SENTINEL_MASTER": MASTER,
    }
    gateway = Gunicorn(env, tmp_path / "gunicorn.log").start()
    worker = worker_process(env)
    stop, over = threading.Event(), threading.Event()
    callers = [Caller(gateway.url, number, stop, over) for number in CALLERS]
    try:
        for caller in callers:
            caller.start()
        wait_until("every caller to be mid-journey", lambda: all(c.answers for c in callers))
        recorded, release = fake_at.hold_next()
        before = TEXTERS[:3]
        for i, number in enumerate(before):
            form = inbound_sms(number, "HELP", f"ATXsentinel{i}")
            answer = requests.post(f"{gateway.url}/sms/inbound", data=form, timeout=30)
            assert answer.status_code == 200, answer.text
        wait_until("the worker to be inside a call to Africa's Talking", recorded.is_set)
        group.replicated()  # the queued jobs are on the replica too: a crash now loses none

        replica = group.ports["replica"]
        group.kill_primary()
        release.set()
        wait_until("every sentinel to name the replica", lambda: group.names_primary(replica))
        over.set()
        for i, number in enumerate(TEXTERS[3:], start=len(before)):
            form = inbound_sms(number, "HELP", f"ATXsentinel{i}")
            answer = requests.post(f"{gateway.url}/sms/inbound", data=form, timeout=30)
            assert answer.status_code == 200, answer.text
        wait_until(
            "every caller to walk on after the failover",
            lambda: all(sum(after for after, _ in c.answers) >= 4 for c in callers),
        )
        wait_until(
            "every reply to reach Africa's Talking",
            lambda: len(fake_at.recipients()) >= len(TEXTERS),
        )
    finally:
        stop.set()
        for caller in callers:
            caller.join(timeout=60)
        kill_worker(worker)
        gateway.stop()

    for caller in callers:
        assert caller.error is None, caller.error
        screens = [answer for _, answer in caller.answers]
        assert all(s.startswith(("CON ", "END ")) for s in screens), screens
        assert screens.count(CLEAN_END) <= 1, f"{caller.name} got more than one clean END"
        after = [answer for sent_after, answer in caller.answers if sent_after]
        assert CLEAN_END not in after, "a hop failed once the failover was over"
    with services.uow() as uow:
        handled = uow.session.scalars(select(SmsInbound.status)).all()
    assert handled == ["handled"] * len(TEXTERS)
    assert sorted(fake_at.recipients()) == sorted(TEXTERS)
    sent_once(fake_at)
