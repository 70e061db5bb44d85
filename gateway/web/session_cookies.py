"""Flask's signed-cookie sessions, with nothing signed or read for a request that brings no
cookie and leaves its session empty: every callback from Africa's Talking, a carrier or a wallet.
Otherwise Flask builds a signing serializer and reads the cookie settings on every request,
which profiled at about a sixth of a delivery report's own work."""

from __future__ import annotations

from flask import Flask
from flask import Request
from flask import Response
from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import SessionMixin


class SignedCookieSessions(SecureCookieSessionInterface):
    """`SecureCookieSessionInterface` that signs and reads only when there is a cookie to read
    or a session to write (the answers are the same as Flask's)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if session or session.modified:
            super().save_session(app, session, response)
        elif session.accessed:  # what Flask does for an empty session it did not change
            response.vary.add("Cookie")
