"""SMS benches: inbound commands end to end, outgoing dispatch, and delivery-report ingest.

All SMS go to the fake Africa's Talking, which answers every send call after 20 ms; what it
accepted, and when, is read from its log (`bench.at_log`). One RQ worker process throughout.
The floor of the first three rows is the fake's own capacity: wrk sending the SDK's form
(one recipient a call) straight to it with 32 connections.
"""

from __future__ import annotations

import subprocess
import time

from bench import wrk
from bench.at_log import AcceptedLog
from bench.hops import runs
from bench.stack import AT_KEY
from bench.stack import Stack
from bench.table import Row
from bench.table import Target

LATENCY_MS = 20.0
"""How long the fake Africa's Talking takes to answer each send call."""
INBOUND_RATE = 150.0
DISPATCH_RATE = 500.0
INGEST_RATIO = 0.5
POST_LIMIT = 600.0
"""Longest the posting of inbound messages may take (seconds)."""


def fake_capacity(stack: Stack, seconds: float) -> wrk.Result:
    """SMS per second the fake itself takes: one recipient per call, 32 connections."""
    return wrk.run(stack.at_url, "at_send", seconds, key=AT_KEY)


def _post(stack: Stack, messages: int, text: str) -> wrk.Result:
    return wrk.run(
        stack.sokoni_url,
        "inbound",
        POST_LIMIT,
        until_done=True,
        run=next(runs),
        messages=messages,
        text=text,
    )


def _wait_for_worker(stack: Stack) -> None:
    """Until an RQ worker has registered itself in Redis."""
    from rq import Worker

    deadline = time.monotonic() + 60
    while not Worker.all(connection=stack.redis) and time.monotonic() < deadline:
        time.sleep(0.1)


def inbound(stack: Stack, log: AcceptedLog, messages: int, limit: float, floor: wrk.Result) -> Row:
    """HELP from `messages` numbers, posted while one worker runs, to the last reply accepted."""
    stack.redis.flushdb()
    worker = stack.start_worker()
    try:
        _wait_for_worker(stack)
        mark, start = log.mark(), time.monotonic()
        posted = _post(stack, messages, "help")
        calls = log.wait_for(mark, messages, limit - (time.monotonic() - start))
        now = time.monotonic()
    finally:
        stack.stop(worker)
    accepted = sum(call.numbers for call in calls)
    finished = accepted >= messages
    elapsed = (calls[-1].at if finished else now) - start
    notes = [
        f"{accepted:,} of {messages:,} replies accepted by the fake in {elapsed:.1f} s"
        f" ({len(calls):,} send calls; posting took {posted.duration_s:.1f} s)"
    ]
    if not finished:
        notes.append(f"stopped at the {limit:g} s limit: the rate is replies so far / time")
    return Row(
        "SMS inbound HELP -> reply at AT, 1 worker",
        "SMS/s",
        accepted / elapsed if elapsed > 0 else 0.0,
        floor.rate,
        floor_p99_ms=floor.p99_ms,
        targets=[Target("sokoni", ">=", INBOUND_RATE, " SMS/s")],
        notes=notes,
        failures=posted.failures,
    )


def dispatch(
    stack: Stack, log: AcceptedLog, messages: int, limit: float, text: str, floor: wrk.Result
) -> Row:
    """Queue `messages` replies (inbound commands handled by a burst worker), then time the
    same burst worker sending them.

    The worker's one queue is first in, first out, and every command was queued before it
    started, so it handles all of them before the first send: the sends are timed from the
    fake's first accepted call (less its latency) to the worker's exit.
    """
    stack.redis.flushdb()
    posted = _post(stack, messages, text)
    mark, begun = log.mark(), time.monotonic()
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
        f" {sending:.1f} s, after {first - begun:.1f} s handling the {messages:,} commands"
        " that queued them"
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
        failures=posted.failures,
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
        failures=pair.sokoni.failures,
    )
