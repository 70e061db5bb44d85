"""USSD session state in Redis: versioned state, stored answers, resume snapshots, a hop lock.

Keys carry the session id as a hash tag (`ussd:{id}:...`) so one session's keys share a
Redis Cluster slot. State is JSON, never pickled.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from typing import cast

import redis

_CAS = """
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'state', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""


class StaleState(Exception):
    """Another hop changed the session since it was read; the write was refused."""


class SessionBusy(Exception):
    """Another hop of the same session holds the lock for too long."""


class UssdSessions:
    """Versioned JSON state per session, plus per-phone resume snapshots."""

    def __init__(self, client: redis.Redis, ttl: int, resume_ttl: int) -> None:
        self.redis = client
        self.ttl = ttl
        self.resume_ttl = resume_ttl
        self._cas = client.register_script(_CAS)

    @staticmethod
    def _key(session_id: str, part: str) -> str:
        return f"ussd:{{{session_id}}}:{part}"

    @contextmanager
    def lock(self, session_id: str, wait: float = 5.0) -> Iterator[None]:
        """Serialise the hops of one session (a retried hop waits for the first to finish)."""
        lock = self.redis.lock(self._key(session_id, "lock"), timeout=15, blocking_timeout=wait)
        if not lock.acquire():
            raise SessionBusy(session_id)
        try:
            yield
        finally:
            try:
                lock.release()
            except redis.exceptions.LockError:
                pass

    def load(self, session_id: str) -> tuple[dict[str, Any] | None, int]:
        """The session's state and its version (0 when there is none)."""
        raw = self.redis.hmget(self._key(session_id, "state"), "v", "state")
        if raw[1] is None:
            return None, 0
        return json.loads(cast(bytes, raw[1])), int(cast(bytes, raw[0]))

    def save(self, session_id: str, state: dict[str, Any], version: int) -> int:
        """Write `state` if the stored version is still `version`; return the new version."""
        ok = self._cas(
            keys=[self._key(session_id, "state")],
            args=[str(version), str(version + 1), json.dumps(state), self.ttl],
        )
        if not ok:
            raise StaleState(session_id)
        return version + 1

    def answer_for(self, session_id: str, hop_id: str) -> str | None:
        """The answer already given to the hop `hop_id` (a hash of its text), if answered."""
        raw = cast(bytes | None, self.redis.hget(self._key(session_id, "answers"), hop_id))
        return raw.decode() if raw is not None else None

    def remember_answer(self, session_id: str, hop_id: str, answer: str) -> None:
        key = self._key(session_id, "answers")
        with self.redis.pipeline() as pipe:
            pipe.hset(key, hop_id, answer)
            pipe.expire(key, self.ttl)
            pipe.execute()

    def resume_point(self, phone: str) -> dict[str, Any] | None:
        raw = self.redis.get(f"ussd:resume:{phone}")
        return json.loads(raw) if raw is not None else None

    def keep_resume_point(self, phone: str, snapshot: dict[str, Any]) -> None:
        self.redis.set(f"ussd:resume:{phone}", json.dumps(snapshot), ex=self.resume_ttl)

    def drop_resume_point(self, phone: str) -> None:
        self.redis.delete(f"ussd:resume:{phone}")
