"""The Redis session store: versioned writes refuse lost updates; answers, locks, resume points."""

from dataclasses import replace

import pytest

from gateway.store.ussd_sessions import DROP
from gateway.store.ussd_sessions import KEEP
from gateway.store.ussd_sessions import SessionBusy
from gateway.store.ussd_sessions import StaleState
from gateway.store.ussd_sessions import UssdSessions

PHONE = "+254711000001"


@pytest.fixture()
def store(services):
    return UssdSessions(services.connections.redis, ttl=180, resume_ttl=900, caller_ttl=900)


def _write(store, session_id, state, hop_id="h1", resume=KEEP):
    claim = store.claim(session_id, hop_id, PHONE)
    return store.commit(claim, state, hop_id, f"{state['screen']} CON hi", PHONE, resume)


def test_a_write_based_on_an_old_version_is_refused(store):
    first = store.claim("race", "h1", PHONE)
    store.release(first)
    _write(store, "race", {"screen": "buy.categories"})
    with pytest.raises(StaleState):
        store.commit(first, {"screen": "home.language"}, "h2", "x", PHONE, KEEP)
    claim = store.claim("race", "h3", PHONE)
    assert (claim.state, claim.version) == ({"screen": "buy.categories"}, 1)


def test_a_stale_write_still_lets_the_lock_go(store):
    old = store.claim("race", "h1", PHONE)
    store.release(old)
    _write(store, "race", {"screen": "home.main"})
    late = store.claim("race", "h2", PHONE)
    with pytest.raises(StaleState):
        store.commit(replace(late, version=0), {}, "h2", "x", PHONE, KEEP)
    store.release(store.claim("race", "h3", PHONE, wait=0.05))


def test_a_replayed_hop_gets_its_answer_and_holds_no_lock(store):
    _write(store, "replay", {"screen": "home.main"}, hop_id="h1")
    replay = store.claim("replay", "h1", PHONE)
    assert replay.answer == "home.main CON hi"
    store.release(store.claim("replay", "h2", PHONE, wait=0.05))


def test_state_and_answers_expire_with_the_session(services, store):
    _write(store, "ttl", {"screen": "home.main"})
    assert 170 < services.connections.redis.ttl("ussd:{ttl}") <= 180


def test_a_second_hop_waits_for_the_first_to_release_the_session(store):
    held = store.claim("busy", "h1", PHONE)
    with pytest.raises(SessionBusy):
        store.claim("busy", "h2", PHONE, wait=0.05)
    store.release(held)
    store.release(store.claim("busy", "h2", PHONE, wait=0.05))


def test_resume_points_are_kept_left_or_dropped(services, store):
    _write(store, "r", {"screen": "buy.listings"}, "h1", {"screen": "buy.listings"})
    assert 890 < services.connections.redis.ttl(f"ussd:resume:{PHONE}") <= 900
    _write(store, "r", {"screen": "home.language"}, "h2", KEEP)
    assert store.claim("r2", "h1", PHONE).resume == {"screen": "buy.listings"}
    _write(store, "r", {"screen": "home.main"}, "h3", DROP)
    assert store.claim("r3", "h1", PHONE).resume is None


def test_scripts_forgotten_by_redis_are_loaded_again(services, store):
    _write(store, "flush", {"screen": "home.main"}, "h1")
    services.connections.redis.script_flush()
    _write(store, "flush", {"screen": "buy.categories"}, "h2")
    assert store.claim("flush", "h3", PHONE).state == {"screen": "buy.categories"}


def test_a_changed_caller_gets_a_new_stamp(store):
    assert store.claim("stamp", "h1", PHONE).stamp == ""
    store.callers_changed({PHONE})
    first = store.claim("stamp2", "h1", PHONE).stamp
    store.callers_changed({PHONE})
    assert first and store.claim("stamp3", "h1", PHONE).stamp not in ("", first)


VIEW = [7, "KE", "sw", None, None, None, ["buyer"], 0, 0]


def test_a_callers_view_is_kept_under_its_stamp_until_they_change(store):
    first = store.claim("view1", "h1", PHONE)
    assert first.view is None
    store.commit(first, {"screen": "home.main"}, "h1", "x", PHONE, KEEP, VIEW)
    again = store.claim("view2", "h1", PHONE)
    assert (again.view, again.stamp) == (VIEW, "")
    store.release(again)
    store.callers_changed({PHONE})
    changed = store.claim("view3", "h1", PHONE)
    assert changed.view is None and changed.stamp


def test_a_view_read_before_a_change_is_never_kept(store):
    claim = store.claim("late", "h1", PHONE)  # the hop reads the caller from SQL now ...
    store.callers_changed({PHONE})  # ... and another process changes them meanwhile
    store.commit(claim, {"screen": "home.main"}, "h1", "x", PHONE, KEEP, VIEW)
    assert store.claim("late2", "h1", PHONE).view is None
