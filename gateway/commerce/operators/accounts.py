"""Operator accounts: created from the command line, signed in with a password (argon2 hash
only), locked for a while after repeated wrong passwords. Every sign-in is in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

from gateway.commerce import errors
from gateway.commerce.operators.audit import record
from gateway.store.models.operators import OPERATOR_ROLES
from gateway.store.models.operators import Operator
from gateway.store.uow import UnitOfWork

ROLES = OPERATOR_ROLES
PASSWORD_MIN = 12
"""Fewest characters an operator's password may have."""

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("an unknown operator's password")
"""Checked against for an unknown email, so both answers take as long."""


@dataclass(frozen=True)
class Lockout:
    """Wrong passwords in a row that lock an account, and for how long."""

    tries: int
    lasts: timedelta


@dataclass(frozen=True)
class SignIn:
    """`ok` (with the operator), `wrong` (email or password), or `locked` (until when)."""

    result: str
    operator_id: int | None = None
    locked_until: datetime | None = None


def normal_email(email: str) -> str:
    return email.strip().lower()


def create_operator(uow: UnitOfWork, email: str, password: str, role: str) -> int:
    """Add an operator; returns their id.

    Raises:
        OperatorExists; WeakPassword; ValueError for an unknown role or a bad email.
    """
    email = normal_email(email)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise ValueError("not an email address")
    if len(password) < PASSWORD_MIN or password.lower() in email or len(set(password)) < 5:
        raise errors.WeakPassword(
            f"use at least {PASSWORD_MIN} characters, not the email, not one repeated"
        )
    with uow:
        if uow.operators.by_email(email) is not None:
            raise errors.OperatorExists(email)
        operator = Operator(email=email, password_hash=_hasher.hash(password), role=role)
        uow.operators.add(operator)
        record(uow, operator.id, "operator_created", f"operator:{operator.id}", role)
        uow.commit()
        return operator.id


def _right(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    uow: UnitOfWork,
    email: str,
    password: str,
    lockout: Lockout,
    now: datetime,
    remote_addr: str | None,
) -> SignIn:
    """Check an operator's password; count a wrong one and lock the account after
    `lockout.tries` in a row. A locked account refuses even the right password."""
    with uow:
        operator = uow.operators.lock_by_email(normal_email(email))
        if operator is None:
            _right(_DUMMY, password)
            record(uow, None, "sign_in_unknown", None, normal_email(email)[:300], remote_addr)
            uow.commit()
            return SignIn("wrong")
        target = f"operator:{operator.id}"
        if operator.locked_until is not None and operator.locked_until > now:
            record(uow, operator.id, "sign_in_locked", target, None, remote_addr)
            uow.commit()
            return SignIn("locked", operator.id, operator.locked_until)
        if not _right(operator.password_hash, password):
            operator.failed_logins += 1
            detail = f"wrong password {operator.failed_logins} in a row"
            if operator.failed_logins >= lockout.tries:
                operator.failed_logins, operator.locked_until = 0, now + lockout.lasts
                detail += "; locked"
            record(uow, operator.id, "sign_in_failed", target, detail, remote_addr)
            uow.commit()
            return SignIn("wrong", operator.id, operator.locked_until)
        if _hasher.check_needs_rehash(operator.password_hash):
            operator.password_hash = _hasher.hash(password)
        operator.failed_logins, operator.locked_until, operator.last_login_at = 0, None, now
        record(uow, operator.id, "sign_in", target, None, remote_addr)
        uow.commit()
        return SignIn("ok", operator.id)


@dataclass(frozen=True)
class OperatorView:
    id: int
    email: str
    role: str

    @property
    def may_act(self) -> bool:
        """Operators may change things; viewers may only look."""
        return self.role == "operator"


def operator(uow: UnitOfWork, operator_id: int) -> OperatorView | None:
    """The operator signed in as `operator_id`, if they still exist."""
    with uow:
        found = uow.operators.get(operator_id)
        return OperatorView(found.id, found.email, found.role) if found else None
