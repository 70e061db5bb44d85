"""Random input sequences through every journey: never an exception, a 500 or an oversized screen."""

import itertools

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from gateway.cli.demo import seed
from menus.render import Budget

INPUTS = st.one_of(
    st.sampled_from(
        ["1", "2", "3", "4", "5", "6", "7", "0", "00", "98", "99", "", "*", "1*2", "01"]
    ),
    st.integers(min_value=0, max_value=10**6).map(str),
    st.text(min_size=0, max_size=30),
    st.text(min_size=150, max_size=250),
)
PHONES = ["+254711000401", "+256772000401", "+250788000401", "+243810000401"]
NETWORKS = {"+254": "63902", "+256": "64110", "+250": "63510", "+243": "99999"}
_sessions = itertools.count()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(number=st.sampled_from(PHONES), inputs=st.lists(INPUTS, max_size=14))
def test_any_sequence_of_inputs_gets_a_screen_within_budget(services, client, number, inputs):
    if not services.connections.redis.exists("seeded"):
        seed(services.uow())
        services.connections.redis.set("seeded", 1)
    budget = Budget()
    session = f"fuzz-{next(_sessions)}"
    for hop in range(len(inputs) + 1):
        response = client.post(
            "/ussd",
            data={
                "sessionId": session,
                "serviceCode": "*384*123#",
                "phoneNumber": number,
                "networkCode": NETWORKS[number[:4]],
                "text": "*".join(inputs[:hop]),
            },
        )
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END ")), body
        assert budget.fits(body), body
        if body.startswith("END "):
            break
