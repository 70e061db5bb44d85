"""`make bench`: Sokoni against a floor measured in the same run, over real HTTP and processes.

How to run (wrk comes from Debian: `apt-get install -y wrk`)::

    make bench                                  # SQLite file + embedded Redis of its own
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_sokoni \\
    REDIS_URL=redis://127.0.0.1:6379/9 make bench   # PostgreSQL + Redis (both are emptied)
    .venv/bin/python -m bench.run --long        # also 100,000 hops for worker RSS
    .venv/bin/python -m bench.run --only hop,memory --seconds 5 --rounds 1
    .venv/bin/python -m bench.run --help        # every option; --keep leaves the logs

The bench empties the database and the Redis database it is given: a PostgreSQL database
must have `bench` in its name, and Redis databases 0 and 15 are refused. It starts, through
their outside interfaces only, `gunicorn wsgi:app` and `gunicorn bench.floor:app` (2 sync
workers each), `flask --app wsgi db upgrade|seed|worker`, and the fake Africa's Talking
answering each send in 20 ms, and ends them all when it ends. Load comes from wrk, 32
connections over loopback, one connection per thread. Rows with a floor run it interleaved
with Sokoni (floor, Sokoni, floor, Sokoni, ...; `--rounds` each, medians). It prints the
machine, date, command, backend and a table, and exits 1 when any row misses its target or
saw errors or wrong answers (the answers are checked: screen ids, statuses). Progress goes
to stderr; a default run takes about ten minutes on 2 cores today.

Columns: Sokoni's figure and the floor's (req/s unless the cell names another unit), their
ratio (Sokoni / floor; for memory lower is better), Sokoni's p50 and p99 latency and the
floor's p99 from wrk in the same run, the targets, and whether all were met without errors.
Other load on the machine (a test suite, another bench) moves every figure: run it alone.

What each row means:

- USSD hop: Africa's Talking hops to `POST /ussd`; each connection alternates a first-time
  caller (dial, English, Kenya, Buy, Grains: 5 hops) and a returning caller (dial, Buy,
  Grains, 00 home: 4 hops); returning callers were made by a warm-up dial (`1*1`), and Redis
  is emptied before each run. Floor: a bare Flask `POST` doing one Redis GET and one SET
  (`bench/floor.py`). Target: ratio >= 0.5. Issue 12's p99 <= 100 ms is judged through the
  ratio (at 32 connections latency follows throughput); p99 is shown beside the floor's.
- Redis memory per live USSD session: 10,000 sessions (`--sessions`) driven to the category
  screen on an emptied Redis database, `INFO memory` used_memory delta / sessions; floor:
  the same walks against the floor app (one key a session). Target <= 2 KB.
- SMS inbound: `HELP` from new numbers posted to `/sms/inbound` while one RQ worker
  (`flask worker`) runs, timed from the first post to the last reply the fake accepted. A
  first batch of 32 sets the size of the measured one (what its rate answers in 15 s, 64 to
  5,000; `--sms-messages` fixes it); each may take `--sms-limit` s, past which the rate is
  replies so far / time. Target >= 150 SMS/s. Floor of the SMS rows: the fake's own capacity
  (wrk posting the SDK's form to it, one number a call).
- SMS dispatch: commands whose replies share one text (`AIDE`, so Sokoni may batch them) or
  have a text each (`TRACK <ref>`) are queued and run by a burst worker on the inbound queue
  alone (`flask worker --burst --queue inbound`), which queues their replies; then one burst
  worker on every queue (`flask worker --burst`) sends them, timed alone, from the first call
  the fake accepted (less its 20 ms) to the worker's exit. As many as the inbound rate
  answers in 20 s (50 to 5,000). Target >= 500 SMS/s.
- SMS delivery reports: `POST /sms/delivery` for the messages sent earlier in the run.
  Target ratio >= 0.5.
- Carrier events: `POST /logistics/events`, JSON signed with HMAC-SHA256 in the wrk script,
  unique event ids, for `--parcels` parcels (ordered by USSD, paid in the sandbox, picked up
  by a carrier) moving out_for_delivery -> failed_delivery -> in_transit. Target ratio >= 0.5.
- gunicorn worker RSS (`--long`): start and end RSS of each worker around `--hops` hops of
  the mixed journey; target growth <= 10 %. Without `--long`, a note gives the RSS of each
  worker before and after the hop bench.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from bench import hops
from bench import parcels
from bench import sms
from bench import wrk
from bench.at_log import AcceptedLog
from bench.stack import GUNICORN_WORKERS
from bench.stack import BadBackend
from bench.stack import Stack
from bench.table import Row
from bench.table import render

BENCHES = ("hop", "memory", "sms", "delivery", "events")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="each wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of floor and Sokoni each")
    parser.add_argument("--sessions", type=int, default=10_000, help="for the memory bench")
    parser.add_argument(
        "--sms-messages", type=int, help="SMS per batch (default: from a first inbound batch)"
    )
    parser.add_argument("--sms-limit", type=float, default=60, help="seconds per SMS batch")
    parser.add_argument("--parcels", type=int, default=64, help="parcels for carrier events")
    parser.add_argument("--long", action="store_true", help="also --hops hops for worker RSS")
    parser.add_argument("--hops", type=int, default=100_000, help="hops of the --long run")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated benches")
    parser.add_argument("--keep", action="store_true", help="keep the logs and SQLite file")
    args = parser.parse_args(argv)
    args.only = set(args.only.split(","))
    if not wrk.CONNECTIONS <= args.parcels <= parcels.MAX_PARCELS:
        parser.error(f"--parcels: {wrk.CONNECTIONS} (one a connection) to {parcels.MAX_PARCELS}")
    if args.sms_messages is not None and args.sms_messages < wrk.CONNECTIONS:
        parser.error(f"--sms-messages: at least {wrk.CONNECTIONS}, one or more per connection")
    if unknown := args.only - set(BENCHES):
        parser.error(f"unknown benches: {', '.join(sorted(unknown))}")
    return args


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _header(stack: Stack, argv: list[str]) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    wrk_version = subprocess.run(
        [wrk.require_wrk(), "--version"], capture_output=True, text=True, check=False
    ).stdout.split(" [")[0]
    return "\n".join(
        [
            f"machine: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}),"
            f" {_cpu_model()}",
            f"date:    {now}",
            f"command: {shlex.join([Path(sys.executable).name, '-m', 'bench.run', *argv])}",
            f"backend: {stack.backend.label}",
            f"loadavg: {_loadavg()} (1, 5, 15 min) at the start",
            f"setup:   {wrk_version}, {wrk.CONNECTIONS} connections, one per thread;"
            f" gunicorn {GUNICORN_WORKERS} sync workers for Sokoni and the floor;"
            f" fake Africa's Talking answers in {sms.LATENCY_MS:g} ms",
        ]
    )


def progress(message: str) -> None:
    """One line on stderr saying what the bench is doing now."""
    now = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{now}] {message}", file=sys.stderr, flush=True)


def _sms_rows(stack: Stack, log: AcceptedLog, args: argparse.Namespace) -> list[Row]:
    progress("SMS: the fake's own capacity")
    floor = sms.fake_capacity(stack, args.seconds)
    progress(f"SMS inbound: HELP while one worker runs, at most 2 x {args.sms_limit:g} s")
    rows = [sms.inbound(stack, log, args.sms_messages, args.sms_limit, floor)]
    queued = args.sms_messages or min(5_000, max(50, round(rows[0].sokoni * 20)))
    for text in ("aide", "track"):
        progress(f"SMS dispatch: {queued} replies to {text.upper()}, one burst worker")
        rows.append(sms.dispatch(stack, log, queued, args.sms_limit * 5, text, floor))
    for row in rows:
        row.notes.append(
            f"floor: the fake's capacity, wrk with {wrk.CONNECTIONS} connections, one number a call"
        )
    return rows


def bench(stack: Stack, args: argparse.Namespace, argv: list[str]) -> list[Row]:
    """Start everything, run the chosen benches in order, and return their rows."""
    print(_header(stack, argv), flush=True)
    progress("emptying the database and Redis, migrating, seeding")
    stack.reset()
    progress("starting the fake Africa's Talking, Sokoni and the floor")
    log = AcceptedLog(stack.start_fake_at(sms.LATENCY_MS), stack.logs / "fake-at.log")
    gateway = stack.start_gunicorn("sokoni", "wsgi:app", stack.sokoni_port)
    stack.start_gunicorn("floor", "bench.floor:app", stack.floor_port)
    pool = hops.pool_size(args.sessions)
    progress(f"warm-up: {pool * wrk.CONNECTIONS:,} returning callers pick English and Kenya")
    hops.warm_up(stack, pool)
    rows = []
    if "hop" in args.only:
        progress(f"USSD hop: floor and Sokoni, {args.rounds} x {args.seconds:g} s each")
        before = hops.worker_rss(gateway)
        rows.append(hops.hop(stack, args.seconds, args.rounds, pool))
        rows[-1].notes.append(
            "gunicorn worker RSS over the hop bench: "
            + hops.describe_rss(before, hops.worker_rss(gateway))
        )
    if "memory" in args.only:
        progress(f"session memory: {args.sessions:,} sessions, floor then Sokoni")
        rows.append(hops.memory(stack, args.sessions, pool))
    if args.long:
        progress(f"worker RSS: {args.hops:,} hops")
        rows.append(hops.long_rss(stack, gateway, args.hops, pool))
    if "sms" in args.only:
        rows += _sms_rows(stack, log, args)
    if "delivery" in args.only:
        progress(f"delivery reports: floor and Sokoni, {args.rounds} x {args.seconds:g} s each")
        rows.append(sms.delivery_reports(stack, args.seconds, args.rounds))
    if "events" in args.only:
        progress(f"carrier events: ordering, paying and picking up {args.parcels} parcels")
        refs = parcels.make_parcels(stack, args.parcels)
        progress(f"carrier events: floor and Sokoni, {args.rounds} x {args.seconds:g} s each")
        rows.append(parcels.carrier_events(stack, refs, args.seconds, args.rounds))
    return rows


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _arguments(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even where started ignoring it
    try:
        wrk.require_wrk()
        stack = Stack()
    except (BadBackend, wrk.WrkMissing) as err:
        print(f"bench: {err}", file=sys.stderr)
        return 2
    try:
        with stack:
            stack.keep = args.keep
            try:
                rows = bench(stack, args, argv)
            except BaseException:
                stack.keep = True
                print(f"logs of the run: {stack.logs}", file=sys.stderr)
                raise
    except KeyboardInterrupt:
        print("interrupted: every process the bench started is ended", file=sys.stderr)
        return 130
    if args.keep:
        print(f"logs of the run: {stack.logs}", file=sys.stderr)
    print(f"loadavg: {_loadavg()} (1, 5, 15 min) at the end")
    print()
    print(render(rows))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
