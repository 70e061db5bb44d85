"""Carrier-event ingest: parcels made the way buyers make them, then signed webhooks.

Setup (not timed): each parcel is an order placed in one USSD shortcut dial by a new Kenyan
caller (English, Kenya, Buy, Grains, a listing, 1, collect, confirm), paid through the sandbox
payment endpoint, opened by the workers, and picked up (its first carrier event). Then
`scenarios/events.lua` posts HMAC-signed events for those parcels, interleaved with the floor:
tracking scans, each kept in the inbox and answered 202. Afterwards one worker judges the
scans kept, and the rate it judged them at is noted.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from typing import cast

import requests

from bench import wrk
from bench.stack import SECRETS
from bench.stack import Stack
from bench.table import Row
from bench.table import Target

INGEST_RATIO = 0.5
LISTINGS = ("2", "3", "4")
"""Choices on the Grains page, taken in turn so that none sells out (demo stock: 60, 90, 150)."""
MAX_PARCELS = 150
PLACED = re.compile(r"^END Order (?P<ref>[A-Z0-9]+) placed")
SETUP_WORKERS = 2
"""RQ workers that pay and open the parcels (setup is not measured)."""
SETUP_LIMIT = 900.0
CARRIER = "benchbox"


_runs = itertools.count(1)
"""Run numbers: inbound ids and numbers (or event ids) never repeat in one bench."""


def _order(url: str, n: int) -> str:
    """Place one order as a new caller; its reference."""
    turn = n % len(LISTINGS)
    for listing in LISTINGS[turn:] + LISTINGS[:turn]:
        reply = requests.post(
            f"{url}/ussd",
            data={
                "sessionId": f"ATUid_bench_order_{n}_{listing}",
                "serviceCode": "*384*123#",
                "phoneNumber": f"+25475{n:07d}",
                "networkCode": "63902",
                "text": f"1*1*1*2*{listing}*1*1*1",
            },
            timeout=30,
        ).text
        if found := PLACED.match(reply):
            return found["ref"]
    raise RuntimeError(f"could not place order {n}: {reply!r}")


def _until(what: str, attempt: Callable[[], bool], deadline: float) -> None:
    """Call `attempt()` until it returns true; fail past `deadline`."""
    while not attempt():
        if time.monotonic() > deadline:
            raise RuntimeError(f"setup: {what} did not happen in time")
        time.sleep(0.5)


def sign(body: bytes) -> str:
    secret = SECRETS["LOGISTICS_WEBHOOK_SECRET"].encode()
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def _picked_up(stack: Stack, ref: str) -> bool:
    """Whether `ref`'s parcel is picked up; if it is open but not yet, a new picked_up scan
    is sent for the workers to judge (one sent before may have come before the parcel)."""
    found = stack.rows(f"SELECT status FROM shipments WHERE ref = '{ref}'")  # ref: [A-Z0-9]+
    if found and found[0][0] != "created":
        return True
    if not found:
        return False
    body = json.dumps(
        {
            "carrier": CARRIER,
            "tracking_ref": ref,
            "status": "picked_up",
            "occurred_at": datetime.now(UTC).isoformat(),
            "location": "Molo",
            "note": "",
            "event_id": f"bench-setup-{ref}-{time.monotonic_ns()}",
        }
    ).encode()
    answer = requests.post(
        f"{stack.sokoni_url}/logistics/events",
        data=body,
        headers={"Content-Type": "application/json", "X-Sokoni-Signature": sign(body)},
        timeout=30,
    )
    if answer.status_code != 202:
        raise RuntimeError(f"setup: picked_up for {ref} got {answer.status_code} {answer.text}")
    return False


def make_parcels(stack: Stack, count: int) -> list[str]:
    """`count` paid, picked-up parcels; their order references."""
    url, deadline = stack.sokoni_url, time.monotonic() + SETUP_LIMIT
    token = SECRETS["CALLBACK_TOKEN"]
    workers = [stack.start_worker() for _ in range(SETUP_WORKERS)]
    try:
        with ThreadPoolExecutor(8) as pool:
            refs = list(pool.map(lambda n: _order(url, n), range(count)))

            def approve(ref: str) -> None:
                _until(
                    f"payment of {ref}",
                    lambda: requests.post(
                        f"{url}/payments/sandbox/{token}",
                        data={"ref": ref, "result": "approve"},
                        timeout=30,
                    ).status_code
                    == 200,
                    deadline,
                )
                _until(f"parcel {ref}", lambda: _picked_up(stack, ref), deadline)

            list(pool.map(approve, refs))
    finally:
        for worker in workers:
            stack.stop(worker)
    stack.redis.flushdb()
    return refs


def _waiting(stack: Stack) -> int:
    [(count,)] = stack.rows("SELECT count(*) FROM carrier_inbox WHERE judged_at IS NULL")
    return int(cast(int, count))


def _judged_by_one_worker(stack: Stack) -> tuple[int, float]:
    """Start one worker on the scans left waiting; (how many, seconds until none waits)."""
    waiting, began = _waiting(stack), time.monotonic()
    worker = stack.start_worker()
    try:
        _until("judging the scans kept", lambda: _waiting(stack) == 0, began + SETUP_LIMIT)
    finally:
        stack.stop(worker)
    return waiting, time.monotonic() - began


def carrier_events(stack: Stack, refs: list[str], seconds: float, rounds: int) -> Row:
    """Signed carrier events for `refs`, unique event ids, interleaved with the floor."""
    path = stack.workdir / "parcels.txt"
    path.write_text("".join(f"{ref}\n" for ref in refs))
    secret = SECRETS["LOGISTICS_WEBHOOK_SECRET"]
    pair = wrk.interleave(
        stack.floor_url,
        stack.sokoni_url,
        "events",
        seconds,
        rounds,
        lambda: {"run": next(_runs), "refs": path, "secret": secret},
    )
    per_parcel = pair.sokoni.requests * rounds / len(refs)
    waiting, seconds_judging = _judged_by_one_worker(stack)
    return Row(
        "carrier events POST /logistics/events",
        "req/s",
        pair.sokoni.rate,
        pair.floor.rate,
        pair.sokoni.p50_ms,
        pair.sokoni.p99_ms,
        pair.floor.p99_ms,
        targets=[Target("ratio", ">=", INGEST_RATIO)],
        notes=[
            f"{len(refs)} parcels, each moving out_for_delivery -> failed_delivery ->"
            f" in_transit in turn; about {per_parcel:,.0f} events per parcel by the end",
            f"the {waiting:,} scans kept were then judged by one worker in {seconds_judging:.1f} s"
            f" ({waiting / max(seconds_judging, 1e-9):,.0f} scans/s)",
        ],
        failures=pair.sokoni.describe_failures(),
    )
