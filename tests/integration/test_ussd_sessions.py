"""The Redis session store: versioned writes refuse lost updates; answers and resume points."""

import pytest

from gateway.store.ussd_sessions import StaleState
from gateway.store.ussd_sessions import UssdSessions


@pytest.fixture()
def store(services):
    return UssdSessions(services.connections.redis, ttl=180, resume_ttl=900)


def test_a_write_based_on_an_old_version_is_refused(store):
    version = store.save("race", {"screen": "home.main"}, 0)
    store.save("race", {"screen": "buy.categories"}, version)
    with pytest.raises(StaleState):
        store.save("race", {"screen": "home.language"}, version)
    assert store.load("race") == ({"screen": "buy.categories"}, 2)


def test_state_and_answers_expire_with_the_session(services, store):
    store.save("ttl", {"screen": "home.main"}, 0)
    store.remember_answer("ttl", "", "CON hi")
    redis = services.connections.redis
    assert 170 < redis.ttl("ussd:{ttl}:state") <= 180
    assert 170 < redis.ttl("ussd:{ttl}:answers") <= 180


def test_a_second_hop_waits_for_the_first_to_release_the_session(store):
    with store.lock("busy"):
        from gateway.store.ussd_sessions import SessionBusy

        with pytest.raises(SessionBusy):
            with store.lock("busy", wait=0.05):
                pass
    with store.lock("busy", wait=0.05):
        pass
