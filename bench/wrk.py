"""Running wrk (Debian's package) with a scenario from `bench/scenarios`, and reading its result.

Every scenario's `done()` prints one `BENCH-RESULT {json}` line: requests, duration,
p50/p99/max latency from wrk's own histogram, socket and HTTP errors, and answers that were
not what Sokoni should have said. One connection per wrk thread, so a thread's requests are
one USSD walk after another, in order.
"""

from __future__ import annotations

import json
import shutil
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
CONNECTIONS = 32
TIMEOUT = "10s"
"""A request unanswered this long counts as an error (wrk's default, 2 s, is too short)."""


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class Result:
    """What one wrk run measured."""

    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int
    status_errors: int
    bad_answers: int
    walks: int

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.duration_s if self.duration_s else 0.0

    def describe_failures(self) -> str:
        """The failures by kind, e.g. `3 wrong answers, 1 timeout`."""
        kinds = {
            "connect errors": self.connect_errors,
            "read errors": self.read_errors,
            "write errors": self.write_errors,
            "timeouts": self.timeouts,
            "HTTP errors": self.status_errors,
            "wrong answers": self.bad_answers,
        }
        return ", ".join(f"{count} {kind}" for kind, count in kinds.items() if count)

    @property
    def failures(self) -> int:
        return (
            self.connect_errors
            + self.read_errors
            + self.write_errors
            + self.timeouts
            + self.status_errors
            + self.bad_answers
        )


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissing("wrk is not installed: apt-get install -y wrk")
    return path


def run(
    url: str,
    scenario: str,
    seconds: float,
    until_done: bool = False,
    connections: int = CONNECTIONS,
    **args: object,
) -> Result:
    """Run `scenarios/<scenario>.lua` against `url` for `seconds` with `key=value` `args`.

    With `until_done` the run ends as soon as every thread has said it finished (the
    scenario's own quota), and `seconds` is only the longest it may take.
    """
    command = [
        require_wrk(),
        f"-t{connections}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={TIMEOUT}",
        "-s",
        f"{scenario}.lua",
        url,
        "--",
        f"threads={connections}",
        *(f"{key}={value}" for key, value in args.items()),
    ]
    result, finished = None, 0
    with subprocess.Popen(
        command, cwd=SCENARIOS, stdout=subprocess.PIPE, text=True, start_new_session=True
    ) as wrk:
        try:
            assert wrk.stdout is not None
            for line in wrk.stdout:
                if line.startswith("BENCH-THREAD-DONE"):
                    finished += 1
                    if until_done and finished == connections:
                        _interrupt(wrk)
                elif line.startswith("BENCH-RESULT "):
                    result = Result(**json.loads(line.removeprefix("BENCH-RESULT ")))
        finally:
            if wrk.poll() is None:
                wrk.kill()
    if result is None:
        raise RuntimeError(f"wrk printed no result: {' '.join(command)}")
    return result


def _interrupt(wrk: subprocess.Popen[str]) -> None:
    """SIGINT until wrk's main thread gets one and prints its result (a signal that lands on
    a thread still winding down is lost)."""

    def again() -> None:
        while wrk.poll() is None:
            wrk.send_signal(signal.SIGINT)
            time.sleep(0.2)

    threading.Thread(target=again, name="wrk-interrupt", daemon=True).start()


@dataclass(frozen=True)
class Pair:
    """Medians of interleaved runs against the floor and against Sokoni."""

    floor: Result
    sokoni: Result


def median_result(results: list[Result]) -> Result:
    """Each figure's median over `results` (failures are summed, not averaged)."""
    return Result(
        requests=round(statistics.median(r.requests for r in results)),
        duration_s=statistics.median(r.duration_s for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        max_ms=max(r.max_ms for r in results),
        connect_errors=sum(r.connect_errors for r in results),
        read_errors=sum(r.read_errors for r in results),
        write_errors=sum(r.write_errors for r in results),
        timeouts=sum(r.timeouts for r in results),
        status_errors=sum(r.status_errors for r in results),
        bad_answers=sum(r.bad_answers for r in results),
        walks=sum(r.walks for r in results),
    )


def interleave(
    floor_url: str,
    sokoni_url: str,
    scenario: str,
    seconds: float,
    rounds: int,
    args: Callable[[], dict[str, Any]],
) -> Pair:
    """floor, Sokoni, floor, Sokoni, ...: `rounds` runs of each; medians of each side.

    `args()` is called before every run (a scenario may need a new run number each time).
    The floor's answers are never checked: it answers everything alike.
    """
    floors, sokonis = [], []
    for _ in range(rounds):
        floors.append(run(floor_url, scenario, seconds, **{**args(), "check": 0}))
        sokonis.append(run(sokoni_url, scenario, seconds, **args()))
    return Pair(median_result(floors), median_result(sokonis))
