"""The parcel state machine: the transition table, refusals, and events placed by their time."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.commerce import errors
from gateway.commerce.parcels.states import FINAL
from gateway.commerce.parcels.states import REPORTABLE
from gateway.commerce.parcels.states import START
from gateway.commerce.parcels.states import Step
from gateway.commerce.parcels.states import accept
from gateway.commerce.parcels.states import replay

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
HAPPY = ("picked_up", "in_transit", "at_pickup_point", "delivered")


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def steps(*statuses: str) -> list[Step]:
    """Statuses one minute apart, in arrival order."""
    return [Step(status, at(i), i) for i, status in enumerate(statuses, 1)]


def test_only_delivered_and_returned_end_a_parcel():
    assert FINAL == {"delivered", "returned"}


def test_the_documented_paths_are_legal_in_order():
    for path in (
        HAPPY,
        ("picked_up", "in_transit", "out_for_delivery", "delivered"),
        ("picked_up", "out_for_delivery", "failed_delivery", "out_for_delivery", "delivered"),
        ("in_transit", "at_pickup_point", "expired", "returning", "returned"),
        ("in_transit", "out_for_delivery", "failed_delivery", "returning", "returned"),
    ):
        result = replay(steps(*path))
        assert result.status == path[-1] and result.skipped == frozenset()


@pytest.mark.parametrize(
    ("history", "status"),
    [
        ((), "delivered"),
        ((), "expired"),
        (("picked_up",), "returned"),
        (("picked_up", "in_transit", "out_for_delivery"), "expired"),
        (HAPPY, "in_transit"),
        (HAPPY, "delivered"),
        (("in_transit", "at_pickup_point"), "picked_up"),
    ],
)
def test_an_event_that_cannot_follow_the_history_is_refused(history, status):
    past = steps(*history)
    with pytest.raises(errors.IllegalTransition):
        accept("K7M2QX", past, Step(status, at(100), 100))


def test_created_cannot_be_reported_by_anyone():
    with pytest.raises(errors.IllegalTransition):
        accept("K7M2QX", [], Step(START, at(1), 1))


def test_an_earlier_event_arriving_late_is_history_and_the_state_stays():
    past = [Step("in_transit", at(60), 1)]
    done = accept("K7M2QX", past, Step("picked_up", at(10), 2))
    assert (done.before, done.after, done.changed) == ("in_transit", "in_transit", False)
    assert done.after_at == at(60)


def test_a_late_event_that_would_break_later_ones_is_refused():
    past = [Step("in_transit", at(10), 1), Step("at_pickup_point", at(30), 2)]
    with pytest.raises(errors.IllegalTransition):
        accept("K7M2QX", past, Step("out_for_delivery", at(20), 3))


def test_events_at_the_same_moment_apply_in_the_order_they_arrived():
    moment = at(5)
    result = replay(
        [
            Step("at_pickup_point", moment, 2),
            Step("expired", moment, 3),
            Step("picked_up", moment, 1),
        ]
    )
    assert result.status == "expired"


@given(st.permutations(range(len(HAPPY))))
def test_a_journey_reported_in_any_order_ends_where_its_latest_legal_event_says(order):
    """Each event is accepted or refused as it comes; whatever was accepted replays legally,
    and the state is the replay of the accepted events."""
    accepted: list[Step] = []
    for index in order:
        new = Step(HAPPY[index], at(index), index + 1)
        try:
            done = accept("K7M2QX", accepted, new)
        except errors.IllegalTransition:
            continue
        accepted.append(new)
        result = replay(accepted)
        assert result.skipped == frozenset() and result.status == done.after
    if len(accepted) == len(HAPPY):
        assert replay(accepted).status == "delivered"


@given(st.lists(st.tuples(st.sampled_from(sorted(REPORTABLE)), st.integers(0, 50)), max_size=12))
def test_whatever_arrives_a_final_state_is_never_left(reports):
    accepted: list[Step] = []
    final_seen = None
    for seq, (status, minute) in enumerate(reports, 1):
        try:
            done = accept("K7M2QX", accepted, Step(status, at(minute), seq))
        except errors.IllegalTransition:
            continue
        accepted.append(Step(status, at(minute), seq))
        if final_seen:
            assert done.after == final_seen
        if done.after in FINAL:
            final_seen = done.after


@given(
    st.lists(st.sampled_from(sorted(REPORTABLE)), max_size=12),
    st.sampled_from(sorted(REPORTABLE)),
    st.integers(min_value=0, max_value=14),
)
def test_placing_an_event_after_the_last_one_before_it_is_placing_it_in_the_whole_history(
    arrivals, status, minute
):
    """A stored history (each event accepted in turn) folds to its last event before a new one,
    so `since` and the events after it answer as the whole history does."""
    history: list[Step] = [Step(START, at(0), 1)]
    for seq, arrived in enumerate(arrivals, 2):
        step = Step(arrived, at(seq), seq)
        try:
            accept("K7M2QX", history, step)
        except errors.IllegalTransition:
            continue
        history.append(step)
    new = Step(status, at(minute), len(arrivals) + 2)
    earlier = [s for s in history if s.occurred_at <= new.occurred_at]
    later = [s for s in history if s.occurred_at > new.occurred_at]
    try:
        whole = accept("K7M2QX", history, new)
    except errors.IllegalTransition:
        with pytest.raises(errors.IllegalTransition):
            accept("K7M2QX", later, new, since=earlier[-1])
        return
    assert accept("K7M2QX", later, new, since=earlier[-1]) == whole
