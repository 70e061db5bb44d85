"""The phone simulator driven through its pages (test client or browser-less), shaped like a
handset (`dial`, `send`) so the journey helpers walk it too."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from tests.admin_support import csrf

SCREEN = re.compile(r'id="screen">(.*?)</div>', re.DOTALL)


class SimulatedPhone:
    def __init__(self, client: FlaskClient, number: str, network: str = "63902") -> None:
        self.client = client
        self.number = number
        self.network = network

    def page(self) -> str:
        response = self.client.get("/simulator/")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def screen(self) -> str:
        found = SCREEN.search(self.page())
        assert found
        return html.unescape(found.group(1))

    def post(self, path: str, **fields: str) -> str:
        token = csrf(self.page())
        response = self.client.post(
            f"/simulator/{path}", data={"csrf_token": token, **fields}, follow_redirects=True
        )
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    def dial(self) -> str:
        self.post("dial", number=self.number, network=self.network, service_code="*384*123#")
        return self.screen()

    def send(self, value: str) -> str:
        self.post("reply", input=value)
        return self.screen()
