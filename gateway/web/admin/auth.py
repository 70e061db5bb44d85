"""Signing in and out of /admin, and who may do what: viewers look, operators act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from typing import TypeVar
from typing import cast

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import UserMixin
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user

from gateway.commerce.operators.accounts import Lockout
from gateway.commerce.operators.accounts import OperatorView
from gateway.commerce.operators.accounts import operator
from gateway.commerce.operators.accounts import sign_in as check_password
from gateway.current import services
from gateway.web.admin.blueprint import bp
from gateway.web.admin.forms import ActionForm
from gateway.web.admin.forms import SignInForm

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])


class SignedIn(UserMixin):  # type: ignore[misc]
    """The operator of this session, as Flask-Login wants them."""

    def __init__(self, view: OperatorView) -> None:
        self.view = view

    def get_id(self) -> str:
        return str(self.view.id)


def load_operator(operator_id: str) -> SignedIn | None:
    """Flask-Login's user loader: the operator still exists, or the session ends."""
    try:
        found = operator(services().uow(), int(operator_id))
    except ValueError:
        return None
    return SignedIn(found) if found else None


def me() -> OperatorView:
    """The operator signed in for this request."""
    return cast(SignedIn, current_user).view


def viewing(view: View) -> View:
    """Signed in as anyone (operator or viewer)."""
    return cast(View, login_required(view))


def acting(view: View) -> View:
    """Signed in as an operator: viewers get 403 and change nothing."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not me().may_act:
            abort(403)
        return view(*args, **kwargs)

    return cast(View, login_required(guarded))


@bp.route("/login", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    """The sign-in form; after ADMIN_LOCKOUT_TRIES wrong passwords the account is locked."""
    form = SignInForm()
    if form.validate_on_submit():
        svc = services()
        settings = svc.settings
        lockout = Lockout(
            settings.ADMIN_LOCKOUT_TRIES, timedelta(seconds=settings.ADMIN_LOCKOUT_SECONDS)
        )
        result = check_password(
            svc.uow(),
            form.email.data or "",
            form.password.data or "",
            lockout,
            svc.clock(),
            request.remote_addr,
        )
        if result.result == "ok" and result.operator_id is not None:
            found = operator(svc.uow(), result.operator_id)
            if found is not None:
                login_user(SignedIn(found))
                return redirect(_next() or url_for("admin.overview"))
        if result.result == "locked" or result.locked_until is not None:
            flash("Too many wrong passwords: this account is locked for a while.", "error")
        else:
            flash("Wrong email or password.", "error")
    return render_template("admin/login.html", form=form), 200


@bp.post("/logout")
@viewing
def sign_out() -> ResponseReturnValue:
    """End the session."""
    if ActionForm().validate_on_submit():
        logout_user()
    return redirect(url_for("admin.sign_in"))


def _next() -> str | None:
    """Where to go after signing in: only a path on /admin, never another site."""
    wanted = request.args.get("next", "")
    return wanted if wanted.startswith("/admin") and "//" not in wanted else None
