"""SMS benches: inbound commands end to end, outgoing dispatch, and delivery-report ingest.

All SMS go to the fake Africa's Talking, which answers every send call after 20 ms; what it
accepted, and when, is read from its log (`bench.at_log`). One RQ worker process throughout.
The floor of the first three rows is the fake's own capacity: wrk sending the SDK's form
(one recipient a call) straight to it with 32 connections.
"""

from __future__ import annotations

import itertools
import subprocess
import time
from dataclasses import dataclass

from rq import Queue
from rq import Worker

from bench import wrk
from bench.at_log import AcceptedLog
from bench.stack import AT_KEY
from bench.stack import Stack
from bench.table import Row
from bench.table import Target
from gateway.commerce.topics import INBOUND

LATENCY_MS = 20.0
"""How long the fake Africa's Talking takes to answer each send call."""
INBOUND_RATE = 150.0
DISPATCH_RATE = 500.0
INGEST_RATIO = 0.5
POST_LIMIT = 600.0
"""Longest the posting of inbound messages may take (seconds)."""
CALIBRATION_SECONDS = 15.0
"""The measured inbound batch is what the first batch's rate answers in this long."""


_runs = itertools.count(1)
"""Run numbers: inbound ids and numbers (or event ids) never repeat in one bench."""


def fake_capacity(stack: Stack, seconds: float) -> wrk.Result:
    """SMS per second the fake itself takes: one recipient per call, 32 connections."""
    return wrk.run(stack.at_url, "at_send", seconds, key=AT_KEY)


def _post(stack: Stack, messages: int, text: str) -> wrk.Result:
    return wrk.run(
        stack.sokoni_url,
        "inbound",
        POST_LIMIT,
        until_done=True,
        run=next(_runs),
        messages=messages,
        text=text,
    )


def _wait_for_worker(stack: Stack) -> None:
    """Until an RQ worker has registered itself in Redis."""
    deadline = time.monotonic() + 60
    while not Worker.all(connection=stack.redis) and time.monotonic() < deadline:
        time.sleep(0.1)


def _wait_until_idle(stack: Stack, limit: float) -> None:
    """Until every RQ queue is empty and no worker is busy (or `limit` s have passed)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        queued = sum(queue.count for queue in Queue.all(connection=stack.redis))
        busy = [w for w in Worker.all(connection=stack.redis) if w.get_current_job_id()]
        if not queued and not busy:
            return
        time.sleep(0.2)


@dataclass(frozen=True)
class Answered:
    """A batch of HELP commands and the replies the fake accepted for them."""

    messages: int
    accepted: int
    calls: int
    seconds: float
    """From the first post to the last reply accepted (or to the limit)."""
    failures: str

    @property
    def finished(self) -> bool:
        return self.accepted >= self.messages

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds > 0 else 0.0


def _answer(stack: Stack, log: AcceptedLog, messages: int, limit: float) -> Answered:
    """Post `messages` HELP and wait, at most `limit` s in all, for every reply."""
    mark, start = log.mark(), time.monotonic()
    posted = _post(stack, messages, "help")
    calls = log.wait_for(mark, messages, limit - (time.monotonic() - start))
    accepted = sum(call.numbers for call in calls)
    end = calls[-1].at if calls and accepted >= messages else time.monotonic()
    return Answered(messages, accepted, len(calls), end - start, posted.describe_failures())


def inbound(
    stack: Stack, log: AcceptedLog, messages: int | None, limit: float, floor: wrk.Result
) -> Row:
    """HELP commands posted while one worker runs, timed to the last reply the fake accepted.

    Without `messages`, a first batch of one command per connection sets the size of the
    measured batch: what that rate answers in CALIBRATION_SECONDS, at least two per
    connection, at most 5,000. Each batch may take `limit` seconds.
    """
    stack.redis.flushdb()
    worker = stack.start_worker()
    try:
        _wait_for_worker(stack)
        first = None
        if messages is None:
            first = _answer(stack, log, wrk.CONNECTIONS, limit)
            _wait_until_idle(stack, limit)  # jobs left behind by the first batch
            messages = min(5_000, max(2 * wrk.CONNECTIONS, round(first.rate * CALIBRATION_SECONDS)))
        batch = first if first and not first.finished else _answer(stack, log, messages, limit)
    finally:
        stack.stop(worker)
    notes = [] if first is None else [f"first batch: {first.messages} in {first.seconds:.1f} s"]
    notes.append(
        f"{batch.accepted:,} of {batch.messages:,} replies accepted by the fake in"
        f" {batch.seconds:.1f} s ({batch.calls:,} send calls)"
    )
    if not batch.finished:
        notes.append(f"stopped at the {limit:g} s limit: the rate is replies so far / time")
    return Row(
        "SMS inbound HELP -> reply at AT, 1 worker",
        "SMS/s",
        batch.rate,
        floor.rate,
        floor_p99_ms=floor.p99_ms,
        targets=[Target("sokoni", ">=", INBOUND_RATE, " SMS/s")],
        notes=notes,
        failures=", ".join(
            filter(None, [batch.failures, first.failures if first and first is not batch else ""])
        ),
    )


def dispatch(
    stack: Stack, log: AcceptedLog, messages: int, limit: float, text: str, floor: wrk.Result
) -> Row:
    """Queue `messages` replies, then time one burst worker sending them.

    A first burst worker on the inbound queue alone (`flask worker --burst --queue inbound`)
    runs the commands, which queue their replies; then one burst worker on every queue sends
    them, timed from the fake's first accepted call (less its latency) to the worker's exit.
    """
    stack.redis.flushdb()
    posted = _post(stack, messages, text)
    begun = time.monotonic()
    handler = stack.start_worker(burst=True, queue=INBOUND)
    try:
        handler.wait(timeout=limit)
    finally:
        stack.stop(handler)
    handled = time.monotonic() - begun
    mark = log.mark()
    worker = stack.start_worker(burst=True)
    try:
        worker.wait(timeout=limit)
        stopped = False
    except subprocess.TimeoutExpired:  # what was sent so far is still measured
        stopped = True
    end = time.monotonic()
    stack.stop(worker)
    calls = log.since(mark)
    accepted = sum(call.numbers for call in calls)
    first = calls[0].at - LATENCY_MS / 1000 if calls else end
    sending = end - first
    label = "one text" if text == "aide" else "a text each"
    notes = [
        f"{accepted:,} of {messages:,} SMS ({label}) in {len(calls):,} send calls over"
        f" {sending:.1f} s; the {messages:,} commands that queued them took {handled:.1f} s"
    ]
    if stopped:
        notes.append(f"the burst worker was stopped at the {limit:g} s limit")
    return Row(
        f"SMS dispatch, {label}, 1 worker",
        "SMS/s",
        accepted / sending if sending > 0 else 0.0,
        floor.rate,
        floor_p99_ms=floor.p99_ms,
        targets=[Target("sokoni", ">=", DISPATCH_RATE, " SMS/s")],
        notes=notes,
        failures=posted.describe_failures(),
    )


def delivery_reports(stack: Stack, seconds: float, rounds: int) -> Row:
    """Delivery reports for messages Sokoni sent earlier in the run, against the floor."""
    sent = stack.rows("SELECT at_message_id, \"to\" FROM sms_messages WHERE at_message_id <> ''")
    if not sent:
        raise RuntimeError("no SMS was sent earlier in the run: nothing to report on")
    ids = stack.workdir / "delivery-ids.txt"
    ids.write_text("".join(f"{message_id} {phone}\n" for message_id, phone in sent))
    pair = wrk.interleave(
        stack.floor_url, stack.sokoni_url, "delivery", seconds, rounds, lambda: {"ids": ids}
    )
    return Row(
        "SMS delivery reports POST /sms/delivery",
        "req/s",
        pair.sokoni.rate,
        pair.floor.rate,
        pair.sokoni.p50_ms,
        pair.sokoni.p99_ms,
        pair.floor.p99_ms,
        targets=[Target("ratio", ">=", INGEST_RATIO)],
        notes=[f"reports for the {len(sent):,} messages sent earlier in the run, in turn"],
        failures=pair.sokoni.describe_failures(),
    )
