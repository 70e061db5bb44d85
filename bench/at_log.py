"""What the fake Africa's Talking accepted, and when: read live from its log.

The fake logs one line per send call it accepted (`fake Africa's Talking: '<text>' to
<number>, <number>, ...`); a thread reads its stderr and stamps each such line with the time
it arrived, so the bench can count SMS per second without asking the gateway anything.
Every line is also kept in a file, for whoever wants to read what was sent.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ACCEPTED = re.compile(r"fake Africa's Talking: (?P<text>.*) to (?P<numbers>\+[0-9*+, ]+)$")


@dataclass(frozen=True)
class Call:
    """One accepted send call: when it was logged, its text (as Python repr) and numbers."""

    at: float
    text: str
    numbers: int


class AcceptedLog:
    """Every send call the fake accepted since it started, in order."""

    def __init__(self, fake: subprocess.Popen[bytes], copy: Path) -> None:
        assert fake.stderr is not None
        self._stream = fake.stderr
        self._copy = copy
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, name="fake-at-log", daemon=True).start()

    def _read(self) -> None:
        with self._copy.open("w") as copy:
            for raw in self._stream:
                line = raw.decode(errors="replace").rstrip()
                found = ACCEPTED.search(line)
                if found:
                    call = Call(time.monotonic(), found["text"], found["numbers"].count("+"))
                    with self._lock:
                        self._calls.append(call)
                copy.write(line + "\n")

    def mark(self) -> int:
        """A point in the log; `since(mark)` gives the calls after it."""
        with self._lock:
            return len(self._calls)

    def since(self, mark: int) -> list[Call]:
        with self._lock:
            return self._calls[mark:]

    def wait_for(self, mark: int, count: int, limit: float) -> list[Call]:
        """Calls after `mark` once they carry `count` numbers, or when `limit` s have passed."""
        deadline = time.monotonic() + limit
        while True:
            calls = self.since(mark)
            if sum(c.numbers for c in calls) >= count or time.monotonic() > deadline:
                return calls
            time.sleep(0.05)
