"""Becoming an agent (an operator's grant or an invite code) and the agent points parcels go to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from gateway.commerce import errors
from gateway.commerce.agents.trail import audit
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.people.callers import Caller
from gateway.commerce.phones import region_of
from gateway.commerce.places import PLACE_MAX
from gateway.commerce.places import locate
from gateway.commerce.places import place_label
from gateway.commerce.refs import new_ref
from gateway.store.models.agents import AgentInvite
from gateway.store.models.agents import AgentPoint
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork
from gateway.text.names import clean_name

POINT_NAME_MAX = NAME_MAX
HOURS_MAX = PLACE_MAX
INVITE_LENGTH = 8
POINTS_OFFERED = 4
"""Agent points a buyer is offered for pickup, nearest first."""


@dataclass(frozen=True)
class PointView:
    id: int
    name: str
    place: str
    hours: str | None


@dataclass(frozen=True)
class PointDetails:
    """What an operator hands out or an agent is told about their point."""

    name: str
    place: str
    hours: str | None


def details(point_name: str, place: str, hours: str | None) -> PointDetails:
    """Checked point details.

    Raises:
        InvalidDetail naming the field ("point", "place", "hours") a screen cannot show.
    """
    name = clean_name(point_name, POINT_NAME_MAX)
    if name is None:
        raise errors.InvalidDetail("point")
    where = clean_name(place, PLACE_MAX)
    if where is None:
        raise errors.InvalidDetail("place")
    opening = clean_name(hours, HOURS_MAX, shortest=1, needs_letter=False) if hours else None
    if hours and opening is None:
        raise errors.InvalidDetail("hours")
    return PointDetails(name, where, opening)


def _open_point(uow: UnitOfWork, person: Person, point: PointDetails) -> AgentPoint:
    person.grant("agent")
    region, district = locate(person.country, point.place)
    row = uow.agents.point_of(person.id)
    if row is None:
        row = AgentPoint(agent_id=person.id, name=point.name, country=person.country)
        uow.agents.add(row)
    row.name, row.region, row.district, row.hours = point.name, region, district, point.hours
    return row


def grant_agent(uow: UnitOfWork, phone: str, point: PointDetails) -> PointView:
    """Make the person with E.164 `phone` an agent with this point (again: the point changes)."""
    with uow:
        person = uow.people.by_phone(phone)
        if person is None:
            person = uow.people.add(Person(phone=phone, country=region_of(phone) or "KE"))
            person.grant("buyer")
        row = _open_point(uow, person, point)
        audit(uow, person.id, "operator", "granted", note=f"{point.name}, {point.place}")
        uow.commit()
        return _view(row)


def create_invite(uow: UnitOfWork, point: PointDetails, days: int) -> str:
    """A one-time code for whoever will run this point; valid for `days` days."""
    with uow:
        code = new_ref(lambda c: uow.agents.invite(c) is not None, INVITE_LENGTH)
        expires = datetime.now(UTC) + timedelta(days=days)
        uow.agents.add(
            AgentInvite(
                code=code,
                point_name=point.name,
                place=point.place,
                hours=point.hours,
                expires_at=expires,
            )
        )
        uow.commit()
        return code


def redeem_invite(uow: UnitOfWork, person_id: int, code: str) -> tuple[Caller, PointView]:
    """The person becomes the agent the invite was made for.

    Raises:
        InvalidInvite (unknown, used or expired), PersonNotFound.
    """
    now = datetime.now(UTC)
    with uow:
        invite = uow.agents.invite(code)
        if invite is None or invite.used_at is not None or invite.expires_at < now:
            raise errors.InvalidInvite(code)
        person = uow.people.get(person_id)
        if person is None:
            raise errors.PersonNotFound(person_id)
        row = _open_point(uow, person, PointDetails(invite.point_name, invite.place, invite.hours))
        invite.used_by_id, invite.used_at = person.id, now
        audit(uow, person.id, "agent", "invite_redeemed", note=code)
        uow.commit()
        return Caller.of(person), _view(row)


def point_of(uow: UnitOfWork, agent_id: int) -> PointView | None:
    with uow:
        row = uow.agents.point_of(agent_id)
        return _view(row) if row else None


def points_near(
    uow: UnitOfWork, country: str, region: str | None, district: str | None
) -> list[PointView]:
    """Agent points to collect from, same district first, then region, then the country."""
    with uow:
        rows = uow.agents.points_near(country, region, district, POINTS_OFFERED)
        return [_view(row) for row in rows]


def _view(row: AgentPoint) -> PointView:
    return PointView(
        row.id, row.name, place_label(row.region, row.district, row.country), row.hours
    )
