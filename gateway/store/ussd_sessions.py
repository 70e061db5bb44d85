"""USSD session state in Redis: versioned state, stored answers, resume snapshots, a hop lock.

A hop costs two round trips, each one script run by its SHA-1 (redis-py loads it into a
Redis that does not know it). Its claim takes the session's lock and reads the state, the
stored answer to this very hop, the caller's view and resume point; its commit writes the
state with a version check, the answer, the resume point and (when the hop read the caller
from SQL or changed them) the caller's view, and lets the lock go.

A session is one hash `ussd:{id}`: `v` (version), `s` (state, JSON, never pickled) and one
field per answered hop (a short hash of its text). The lock is `ussd:{id}:lock`;
`ussd:resume:<phone>` and `ussd:who:<phone>` are per phone. `ussd:who:<phone>` holds a stamp
(a random token, written when the caller changes, from any process) and, once a hop has read
the caller under that stamp, their view: `<stamp>|<view JSON>`. A view is only written over
the very value its hop claimed, so a change stamped meanwhile always wins. The scripts name
every key they touch; a session's keys and its phone's fall in different Redis Cluster slots,
so on a cluster (which RQ does not run on either) the phone's keys would go back to a
pipeline beside the script.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from typing import cast

import redis

_CLAIM = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
local got = redis.call('HMGET', KEYS[2], 'v', 's', ARGV[3])
if got[3] then redis.call('DEL', KEYS[1]) end
return {1, got[1], got[2], got[3], redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4])}
"""
"""Take the lock and read version, state, this hop's stored answer, the caller's stamp and view,
and resume point; a replayed hop needs no lock, so it is let go at once."""

_COMMIT = """
local ok = 0
if (redis.call('HGET', KEYS[1], 'v') or '0') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3], ARGV[5], ARGV[6])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  ok = 1
end
if redis.call('GET', KEYS[2]) == ARGV[7] then redis.call('DEL', KEYS[2]) end
if ARGV[9] ~= '' and (redis.call('GET', KEYS[4]) or '') == ARGV[8] then
  redis.call('SET', KEYS[4], ARGV[9], 'EX', ARGV[10])
end
if ARGV[11] == 'drop' then redis.call('DEL', KEYS[3])
elseif ARGV[11] == 'set' then redis.call('SET', KEYS[3], ARGV[12], 'EX', ARGV[13]) end
return ok
"""
"""Write state and answer if the version is still the one read; let the lock go either way;
write the caller's view if given and their `ussd:who` is still what the claim read; forget
(`drop`), keep (`keep`) or replace (`set`) the phone's resume point."""

_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end"

LOCK_MS = 15_000
"""A hop holding the lock longer than this (a crashed worker) loses it."""
RETRY_S = 0.02
DROP = None
"""`commit(resume=DROP)` forgets the phone's resume point."""
KEEP: dict[str, Any] = {}
"""`commit(resume=KEEP)` leaves it as it is."""


class StaleState(Exception):
    """Another hop changed the session since it was read; the write was refused."""


class SessionBusy(Exception):
    """Another hop of the same session holds the lock for too long."""


@dataclass(frozen=True)
class Claim:
    """What a hop holding a session's lock read: `answer` is set for a replayed hop (the lock
    is then already let go)."""

    session_id: str
    token: str
    state: dict[str, Any] | None
    version: int
    answer: str | None
    who: str
    """`ussd:who:<phone>` as claimed: the caller's stamp, and their view if one was kept
    (`stamp|view`); empty when neither is."""
    resume: dict[str, Any] | None

    @property
    def stamp(self) -> str:
        return self.who.partition("|")[0]

    @property
    def view(self) -> list[Any] | None:
        """The caller's view kept under the current stamp (by an earlier `commit`), if any."""
        _, kept, view = self.who.partition("|")
        return json.loads(view) if kept else None


def _text(raw: object) -> str | None:
    return cast(bytes, raw).decode() if raw is not None else None


class UssdSessions:
    """Versioned JSON state per session, plus per-phone resume snapshots and callers' views."""

    def __init__(self, client: redis.Redis, ttl: int, resume_ttl: int, caller_ttl: int) -> None:
        self.redis = client
        self.ttl = ttl
        self.resume_ttl = resume_ttl
        self.caller_ttl = caller_ttl
        self._claim = client.register_script(_CLAIM)
        self._commit = client.register_script(_COMMIT)
        self._release = client.register_script(_RELEASE)
        """redis-py's scripts run by their SHA-1 and teach a Redis that does not know them."""

    @staticmethod
    def key(session_id: str) -> str:
        return f"ussd:{{{session_id}}}"

    @staticmethod
    def _lock(session_id: str) -> str:
        return f"ussd:{{{session_id}}}:lock"

    @staticmethod
    def _resume(phone: str) -> str:
        return f"ussd:resume:{phone}"

    @staticmethod
    def _stamp(phone: str) -> str:
        return f"ussd:who:{phone}"

    def claim(self, session_id: str, hop_id: str, phone: str, wait: float = 5.0) -> Claim:
        """Take the session's lock (waiting up to `wait` s for a hop holding it) and read
        everything the hop needs from Redis.

        Raises:
            SessionBusy: another hop held the lock for `wait` seconds.
        """
        token = secrets.token_hex(8)
        deadline = time.monotonic() + wait
        keys = (
            self._lock(session_id),
            self.key(session_id),
            self._stamp(phone),
            self._resume(phone),
        )
        while True:
            got = self._claim(keys, (token, LOCK_MS, hop_id))
            if got is not None:
                break
            if time.monotonic() >= deadline:
                raise SessionBusy(session_id)
            time.sleep(RETRY_S)
        _, version, state, answer, who, resume = got
        return Claim(
            session_id=session_id,
            token=token,
            state=json.loads(state) if state is not None else None,
            version=int(version) if version is not None else 0,
            answer=_text(answer),
            who=_text(who) or "",
            resume=json.loads(resume) if resume is not None else None,
        )

    def commit(
        self,
        claim: Claim,
        state: dict[str, Any],
        hop_id: str,
        answer: str,
        phone: str,
        resume: dict[str, Any] | None,
        view: list[Any] | None = None,
    ) -> int:
        """Store the state (if no other hop wrote since the claim) and the answer to `hop_id`,
        keep (`resume`), forget (`DROP`) or leave (`KEEP`) the phone's resume point, keep the
        caller's `view` under the stamp claimed (unless the caller changed since), and let the
        lock go; returns the new version.

        Raises:
            StaleState: another hop changed the session since the claim (nothing stored).
        """
        version = claim.version
        keys = (
            self.key(claim.session_id),
            self._lock(claim.session_id),
            self._resume(phone),
            self._stamp(phone),
        )
        body = json.dumps(state, separators=(",", ":"))
        if resume is DROP:
            point: tuple[str | int, ...] = ("drop",)
        elif resume is KEEP:
            point = ("keep",)
        else:
            point = ("set", json.dumps(resume, separators=(",", ":")), self.resume_ttl)
        kept = "" if view is None else f"{claim.stamp}|{json.dumps(view, separators=(',', ':'))}"
        who = (claim.who, kept, self.caller_ttl)
        args = (version, version + 1, body, self.ttl, hop_id, answer, claim.token, *who, *point)
        if not self._commit(keys, args):
            raise StaleState(claim.session_id)
        return version + 1

    def release(self, claim: Claim) -> None:
        """Let the lock go without storing anything (a refused or failed hop)."""
        self._release((self._lock(claim.session_id),), (claim.token,))

    def callers_changed(self, phones: Iterable[str]) -> None:
        """Stamp these callers as changed: their kept view is dropped, and a hop that read them
        from SQL before the change cannot keep its view."""
        stamp = secrets.token_hex(4)
        with self.redis.pipeline(transaction=False) as pipe:
            for phone in phones:
                pipe.set(self._stamp(phone), stamp, ex=self.caller_ttl)
            pipe.execute()
