"""Signed-cookie sessions (`gateway.web.session_cookies`): a provider's callback, which brings
no cookie, gets none; an operator's sign-in still sets the cookie that
keeps them signed in, and a tampered cookie signs nobody in."""

from __future__ import annotations

import pytest

from tests.admin_support import signed_in

pytestmark = pytest.mark.usefixtures("sandbox_only")


def test_a_callback_without_a_cookie_gets_none(client):
    form = {"id": "ATXid_unknown", "status": "Success", "phoneNumber": "+254711000602"}
    answer = client.post("/sms/delivery", data=form)
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers


def test_a_signed_in_operator_keeps_their_session_and_a_forged_one_does_not(app, services):
    operator = signed_in(app, "cookies@sokoni.example")
    assert "Overview" in operator.get("/admin/")
    cookie = operator.client.get_cookie("session")
    assert cookie is not None
    forged = app.test_client()
    forged.set_cookie("session", cookie.value[:-2] + "xx")
    assert forged.get("/admin/").status_code == 302  # back to sign-in
