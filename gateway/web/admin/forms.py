"""The /admin forms (Flask-WTF: each carries the session's CSRF token; Flask-WTF has no type
hints, hence the ignores)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ActionForm(FlaskForm):  # type: ignore[misc]
    """A button that changes one thing: its CSRF token, nothing else."""


class RetryForm(FlaskForm):  # type: ignore[misc]
    item_id = IntegerField(validators=[DataRequired()])


class PauseForm(FlaskForm):  # type: ignore[misc]
    code = HiddenField(validators=[DataRequired(), Length(max=8)])
    paused = BooleanField()


class ResolveForm(FlaskForm):  # type: ignore[misc]
    result = RadioField(
        "What the provider says",
        choices=[
            SelectChoice("paid", "Paid: the money reached the payee"),
            SelectChoice("failed", "Failed: it did not"),
        ],
        validators=[DataRequired()],
    )
    receipt = StringField("Provider's receipt (for paid)", validators=[Optional(), Length(max=64)])
