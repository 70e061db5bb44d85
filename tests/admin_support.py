"""An operator at /admin through the test client: created by the CLI, signed in with the
session's CSRF token read from the page, as a browser without JavaScript would."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def create_user(app: Flask, email: str, role: str = "operator", password: str = PASSWORD) -> Any:
    """`flask admin create-user EMAIL --role ROLE`, typing the password twice at the prompt."""
    return app.test_cli_runner().invoke(
        args=["admin", "create-user", email, "--role", role], input=f"{password}\n{password}\n"
    )


def csrf(page: str) -> str:
    found = TOKEN.search(page)
    assert found, page[:500]
    return found.group(1)


class Operator:
    """A signed-in browser: `get(path)` a page, `post(path, **fields)` a form with its token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        self.token = csrf(self.client.get("/admin/login").get_data(as_text=True))
        return self.client.post(
            "/admin/login",
            data={"csrf_token": self.token, "email": email, "password": password},
            follow_redirects=True,
        )

    def get(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)

    def post(self, path: str, follow: bool = True, **fields: Any) -> Any:
        return self.client.post(
            path, data={"csrf_token": self.token, **fields}, follow_redirects=follow
        )


def signed_in(app: Flask, email: str, role: str = "operator") -> Operator:
    assert create_user(app, email, role).exit_code == 0
    operator = Operator(app.test_client())
    assert "Overview" in operator.sign_in(email).get_data(as_text=True)
    return operator
