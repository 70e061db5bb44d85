"""Who is calling: found by phone, created on first contact, with a remembered language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from config.countries import COUNTRIES
from config.countries import NETWORKS
from config.countries import country_for_network
from gateway.commerce.phones import region_of
from gateway.store.models.people import Person
from gateway.store.uow import UnitOfWork

DEFAULT_COUNTRY = "KE"
PACKED_FIELDS = 9
"""Length of a packed caller (`pack`)."""


@dataclass(frozen=True)
class Caller:
    """A person as the menus see them, detached from the database session."""

    id: int
    phone: str
    country: str
    language: str | None
    name: str | None
    region: str | None
    district: str | None
    roles: frozenset[str]
    has_pin: bool = False
    ordered: bool = False
    """Whether they ever ordered (or an agent ordered for them)."""

    @classmethod
    def of(cls, person: Person) -> Caller:
        """The caller view of a loaded person (`ordered` is not read: False)."""
        return cls(
            id=person.id,
            phone=person.phone,
            country=person.country,
            language=person.language,
            name=person.name,
            region=person.region,
            district=person.district,
            roles=frozenset(r.role for r in person.roles),
            has_pin=person.pin_hash is not None,
        )


def pack(caller: Caller) -> list[object]:
    """The caller as a short JSON-ready list (kept in a USSD session), phone left out."""
    return [
        caller.id,
        caller.country,
        caller.language,
        caller.name,
        caller.region,
        caller.district,
        sorted(caller.roles),
        int(caller.has_pin),
        int(caller.ordered),
    ]


def unpack(phone: str, packed: list[Any]) -> Caller | None:
    """The caller `pack` made, with their phone; None for a pack of another shape (an older
    release's), which calls for reading the caller again."""
    if len(packed) != PACKED_FIELDS:
        return None
    id_, country, language, name, region, district, roles, has_pin, ordered = packed
    return Caller(
        id_,
        phone,
        country,
        language,
        name,
        region,
        district,
        frozenset(roles),
        bool(has_pin),
        bool(ordered),
    )


def identify(uow: UnitOfWork, phone: str, network_code: str | None = None) -> Caller:
    """The caller with E.164 `phone`, registered as a buyer on first contact; the network
    they call from is remembered (it decides which wallet pays and is paid). On PostgreSQL
    one statement in autocommit (`uow.autocommit`) reads the caller or registers the
    newcomer, and a new network is one more; elsewhere a read and at most one write share a
    transaction."""
    with uow.autocommit() as alone:
        country, network = _country(phone, network_code), _network(network_code)
        found = alone.people.caller_registering(phone, country, network, "buyer")
        callers, wrote = _identify(alone, {phone: network_code}, found)
        if wrote:
            alone.commit()
        return callers[phone]


def identify_all(uow: UnitOfWork, networks: Mapping[str, str | None]) -> dict[str, Caller]:
    """`identify` each E.164 phone in `networks` (with the network it came from), in the
    caller's open transaction: one read, and one write for all the newcomers together (two
    writes off PostgreSQL)."""
    return _identify(uow, networks, uow.people.callers(list(networks)))[0]


def _identify(
    uow: UnitOfWork,
    networks: Mapping[str, str | None],
    found: Mapping[str, tuple[Any, frozenset[str]]],
) -> tuple[dict[str, Caller], bool]:
    """`identify_all` given the callers `found` among `networks`, and whether it wrote
    anything (a newcomer, a network)."""
    callers, wrote = {}, False
    for phone, (row, roles) in found.items():
        known = _network(networks[phone])
        if known and row.network_code != known:
            uow.people.set_network(row.id, known)
            wrote = True
        callers[phone] = _caller(phone, row, roles)
    newcomers = [
        (phone, _country(phone, network_code), _network(network_code))
        for phone, network_code in networks.items()
        if phone not in found
    ]
    if newcomers:
        ids = uow.people.register_all(newcomers, "buyer")
        for phone, country, _ in newcomers:
            callers[phone] = _newcomer(ids[phone], phone, country)
    return callers, wrote or bool(newcomers)


def _network(network_code: str | None) -> str | None:
    """The network code, if Sokoni knows that network."""
    return network_code if network_code in NETWORKS else None


def _country(phone: str, network_code: str | None) -> str:
    """A newcomer's country: their number's, else their network's, else the default."""
    network = country_for_network(network_code)
    return region_of(phone) or (network.iso if network else DEFAULT_COUNTRY)


def _newcomer(person_id: int, phone: str, country: str) -> Caller:
    return Caller(person_id, phone, country, None, None, None, None, frozenset({"buyer"}))


def _caller(phone: str, row: Any, roles: frozenset[str]) -> Caller:
    """A known caller from their row (`People.caller`)."""
    return Caller(
        row.id,
        phone,
        row.country,
        row.language,
        row.name,
        row.region,
        row.district,
        roles,
        bool(row.has_pin),
        bool(row.ordered),
    )


def language_of(uow: UnitOfWork, phone: str) -> str | None:
    """The language a known person chose, without registering anyone."""
    with uow.autocommit() as reading:
        person = reading.people.by_phone(phone)
        return person.language if person is not None else None


def set_language(uow: UnitOfWork, caller: Caller, language: str, kept_by_hop: bool) -> None:
    """Remember the language a caller chose, for every later session and SMS. The USSD view
    kept of them is dropped, unless the hop that chose it keeps the new one (`kept_by_hop`:
    the menus' own language screen)."""
    with uow.autocommit() as alone:
        phones = () if kept_by_hop else (caller.phone,)
        alone.people.set_languages({caller.id: language}, phones)
        alone.commit()


def remember_languages(uow: UnitOfWork, chosen: Mapping[Caller, str]) -> None:
    """`set_language` for many callers at once, in the caller's open transaction."""
    languages = {caller.id: language for caller, language in chosen.items()}
    uow.people.set_languages(languages, [caller.phone for caller in chosen])


def set_country(uow: UnitOfWork, person_id: int, country: str) -> None:
    """Move a person to another COMESA country; their place there is not known yet (a read,
    then at most one UPDATE: on PostgreSQL each in autocommit)."""
    with uow.autocommit() as alone:
        person = alone.people.plain(person_id)
        if person is not None and person.country != country:
            person.country, person.region, person.district = country, None, None
            alone.commit()


def set_place(uow: UnitOfWork, person_id: int, region: str | None, district: str | None) -> None:
    """Where a person lives: listings and agent points near it are shown first."""
    with uow:
        person = uow.people.plain(person_id)
        if person is not None:
            person.region, person.district = region, district
            uow.commit()


def currency_of(caller: Caller) -> str:
    """The currency of the caller's country, in which they sell and see prices."""
    return COUNTRIES[caller.country].currency
