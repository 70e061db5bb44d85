"""People, found by phone."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from functools import cache
from typing import Any
from typing import cast

from sqlalchemy import CTE
from sqlalchemy import BindParameter
from sqlalchemy import Select
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import exists
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import null
from sqlalchemy import select
from sqlalchemy import union_all
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.orm import Session
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import lazyload

from gateway.store import changes
from gateway.store.lone import Lone
from gateway.store.models.base import utcnow
from gateway.store.models.orders import Order
from gateway.store.models.people import Person
from gateway.store.models.people import PersonRole
from gateway.store.repositories.rows import lazy
from gateway.store.repositories.rows import lazy_commit
from gateway.store.repositories.rows import one

_CALLER = (
    Person.id,
    Person.phone,
    Person.country,
    Person.language,
    Person.name,
    Person.region,
    Person.district,
    Person.pin_hash.is_not(None).label("has_pin"),
    Person.network_code,
)
_CALLERS = select(
    *_CALLER, exists().where(Order.buyer_id == Person.id).label("ordered"), PersonRole.role
).outerjoin(PersonRole, PersonRole.person_id == Person.id)
_CALLER_BY_PHONE = _CALLERS.where(Person.phone == bindparam("phone"))
"""Built once: a caller is read on most USSD sessions' first hop (a plain `=`, which, unlike an
expanding IN, needs no rendering per call)."""
_CALLERS_BY_PHONE = _CALLERS.where(Person.phone.in_(bindparam("phones", expanding=True)))
_PEOPLE = cast(Table, Person.__table__)
_ROLES = cast(Table, PersonRole.__table__)
_SET_LANGUAGE = (
    update(_PEOPLE)
    .where(_PEOPLE.c.id == bindparam("person_id"))
    .values(language=bindparam("chosen"))
)
"""Built once, on the table: a language is chosen on most new callers' second hop."""
_SET_LANGUAGE_LAZILY = Lone(_SET_LANGUAGE.where(lazy_commit()))
"""`_SET_LANGUAGE` alone in autocommit on PostgreSQL: a lost choice is asked again."""


def _register_at_once() -> Select[int, str]:
    """`People.register_all`'s statement on PostgreSQL: the people from three arrays (phones,
    countries, networks), each one's role added by a data-modifying CTE; their ids and phones."""
    text_array = ARRAY(String)
    given = (
        func.unnest(
            bindparam("phones", type_=text_array),
            bindparam("countries", type_=text_array),
            bindparam("networks", type_=text_array),
        )
        .table_valued("phone", "country", "network_code")
        .render_derived()
    )
    now = bindparam("now", type_=_PEOPLE.c.created_at.type)
    added = (
        insert(_PEOPLE)
        .from_select(["phone", "country", "network_code", "created_at"], select(given, now))
        .returning(_PEOPLE.c.id, _PEOPLE.c.phone)
        .cte("added")
    )
    return select(added.c.id, added.c.phone).add_cte(_granted(added, now))


def _granted(added: CTE, now: BindParameter[Any]) -> CTE:
    """A data-modifying CTE giving each person the CTE `added` inserted the role `:role`."""
    role = bindparam("role", type_=String)
    given = insert(_ROLES).from_select(
        ["person_id", "role", "granted_at"], select(added.c.id, role, now)
    )
    return given.cte("granted")


_REGISTER_AT_ONCE = _register_at_once()


@cache
def _caller_registering(lazily: bool) -> Lone:
    """`People.caller_registering`'s statement on PostgreSQL: the caller rows of `:phone`
    (`_CALLER_BY_PHONE`), or, when nobody has that phone, the person it adds (with `:country`,
    `:network` and the role `:role`) in the same shape; `lazily` committed (`lazy_commit`: a
    newcomer lost in a crash is registered again on their next dial)."""
    phone, now = bindparam("phone", type_=String), bindparam("now", type_=_PEOPLE.c.created_at.type)
    role, network = bindparam("role", type_=String), bindparam("network", type_=String)
    country = bindparam("country", type_=String)
    unknown = ~exists().where(_PEOPLE.c.phone == phone)
    added = (
        upsert(_PEOPLE)
        .from_select(
            ["phone", "country", "network_code", "created_at"],
            select(phone, country, network, now).where(unknown),
        )
        .on_conflict_do_nothing(index_elements=["phone"])
        .returning(_PEOPLE.c.id)
        .cte("added")
    )
    newcomer = select(
        added.c.id, phone, country, null(), null(), null(), null(), false(), network, false(), role
    )
    if lazily:
        newcomer = newcomer.where(lazy_commit())
    return Lone(union_all(_CALLER_BY_PHONE, newcomer).add_cte(_granted(added, now)))


def _by_phone(rows: Iterable[Any]) -> dict[str, tuple[Any, frozenset[str]]]:
    """Caller rows (one per role) as each phone's row and roles."""
    found: dict[str, tuple[Any, set[str]]] = {}
    for row in rows:
        found.setdefault(row.phone, (row, set()))[1].add(row.role)
    return {phone: (row, frozenset(roles) - {None}) for phone, (row, roles) in found.items()}


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_phone(self, phone: str) -> Person | None:
        """The person with this phone, roles included (one statement)."""
        query = select(Person).options(joinedload(Person.roles)).where(Person.phone == phone)
        return self.session.execute(query).unique().scalar_one_or_none()

    def callers(self, phones: Sequence[str]) -> dict[str, tuple[Any, frozenset[str]]]:
        """What each known caller among `phones` is seen as, by phone: the person's fields,
        `has_pin`, `ordered` (ever a buyer) and `network_code`, with their roles; plain rows,
        one statement."""
        if len(phones) == 1:
            return _by_phone(self.session.execute(_CALLER_BY_PHONE, {"phone": phones[0]}))
        return _by_phone(self.session.execute(_CALLERS_BY_PHONE, {"phones": list(phones)}))

    def caller_registering(
        self, phone: str, country: str, network_code: str | None, role: str
    ) -> dict[str, tuple[Any, frozenset[str]]]:
        """`callers([phone])`, registering a newcomer (in `country`, on `network_code`, with
        `role`) first: on PostgreSQL one statement for both, elsewhere the read alone (the
        caller then registers a newcomer with `register_all`)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return self.callers([phone])
        given = {
            "phone": phone,
            "country": country,
            "network": network_code,
            "role": role,
            "now": utcnow(),
        }
        rows = _caller_registering(lazy(self.session)).run(self.session, given)
        if not rows:  # registered by a concurrent first hop a moment ago: it is there now
            return self.callers([phone])
        return _by_phone(rows)

    def register_all(
        self, newcomers: Sequence[tuple[str, str, str | None]], role: str
    ) -> dict[str, int]:
        """Add each (phone, country, network code) as a person with `role`; their ids by
        phone. Whatever their number: one statement on PostgreSQL, two elsewhere; no ORM
        objects."""
        if self.session.get_bind().dialect.name == "postgresql":
            phones, countries, networks = (list(column) for column in zip(*newcomers, strict=True))
            given = {
                "phones": phones,
                "countries": countries,
                "networks": networks,
                "role": role,
                "now": utcnow(),
            }
            return {row.phone: row.id for row in self.session.execute(_REGISTER_AT_ONCE, given)}
        rows = self.session.execute(
            insert(Person).returning(Person.id, Person.phone),
            [dict(phone=p, country=c, network_code=n) for p, c, n in newcomers],
        ).all()
        ids = {row.phone: row.id for row in rows}
        self.session.execute(
            insert(PersonRole), [{"person_id": i, "role": role} for i in ids.values()]
        )
        return ids

    def set_network(self, person_id: int, network_code: str) -> None:
        """Remember the network a person last called from (not part of their caller view)."""
        self.session.execute(
            update(Person).where(Person.id == person_id).values(network_code=network_code)
        )

    def set_languages(self, languages: dict[int, str], phones: Iterable[str] = ()) -> None:
        """Remember many people's languages (by id) in one statement; their `phones` are noted
        as changed callers (`gateway.store.changes`: the USSD view kept of them is dropped at
        commit). Live USSD sessions keep their own language whatever happens."""
        for phone in phones:
            changes.note_person(self.session, phone)
        if languages:
            given = [{"person_id": i, "chosen": lang} for i, lang in languages.items()]
            if len(given) > 1:  # a list runs as executemany, which psycopg pipelines
                self.session.execute(_SET_LANGUAGE, given)
            elif lazy(self.session):
                _SET_LANGUAGE_LAZILY.run(self.session, given[0])
            else:
                self.session.execute(_SET_LANGUAGE, given[0])

    def phones(self, ids: set[int]) -> list[str]:
        """The phones of these people."""
        return list(self.session.scalars(select(Person.phone).where(Person.id.in_(ids))))

    def get(self, person_id: int) -> Person | None:
        return self.session.get(Person, person_id)

    def plain(self, person_id: int) -> Person | None:
        """The person without their roles (to change their own fields: one statement)."""
        return self.session.get(Person, person_id, options=[lazyload(Person.roles)])

    def one(self, person_id: int) -> Person:
        return one(self.get(person_id), "person", person_id)

    def add(self, person: Person) -> Person:
        self.session.add(person)
        self.session.flush()
        return person

    def lock(self, person_id: int) -> Person | None:
        """The person, re-read and locked for update until the transaction ends."""
        return self.session.get(Person, person_id, with_for_update=True, populate_existing=True)
