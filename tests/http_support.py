"""The gateway under gunicorn, as `make run` and production serve it, and a client that speaks
to it over real HTTP with the test client's manners (so `Phone`, `Texter` and `post_event` work
unchanged), sending as Africa's Talking would from behind one proxy."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from config.settings import ROOT

AT_ADDRESS = "196.201.214.10"
"""Where the client says (in X-Forwarded-For) that Africa's Talking called from."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Gunicorn:
    """`gunicorn -c python:config.gunicorn_conf wsgi:app` in its own process, configured from
    `env`; everything it prints (access log, application and gunicorn logs) goes to `log`."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._env = {**os.environ, **env}
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:config.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "wsgi:app",
        ]
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=self._env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_it_answers()
        except BaseException:
            self.stop()  # never leave a server behind a failed start
            raise
        return self

    def _wait_until_it_answers(self, tries: int = 300) -> None:
        for _ in range(tries):
            assert self._process is not None and self._process.poll() is None, self.output()
            try:
                requests.get(f"{self.url}/health", timeout=30)
                return
            except requests.ConnectionError:
                time.sleep(0.1)  # a readiness poll: nothing is asserted about time
        raise AssertionError(f"gunicorn never answered:\n{self.output()}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Answer:
    """A response with the test client's names: status_code, data, get_data(), json."""

    def __init__(self, response: requests.Response) -> None:
        self.status_code = response.status_code
        self.data = response.content
        self.headers = response.headers
        self._response = response

    def get_data(self, as_text: bool = False) -> Any:
        return self._response.text if as_text else self.data

    @property
    def json(self) -> Any:
        return self._response.json()


class HttpClient:
    """Posts to the gateway over HTTP; Africa's Talking's paths get `at_token` appended, and
    every request says it came from `forwarded_for` through one proxy."""

    AT_PATHS = ("/ussd", "/ussd/events", "/sms/inbound", "/sms/delivery", "/sms/optout")

    def __init__(self, url: str, at_token: str = "", forwarded_for: str = AT_ADDRESS) -> None:
        self.url = url
        self.at_token = at_token
        self.forwarded_for = forwarded_for
        self.session = requests.Session()

    def post(
        self,
        path: str,
        data: Any = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> Answer:
        if path in self.AT_PATHS and self.at_token:
            path = f"{path}/{self.at_token}"
        sent = {"X-Forwarded-For": self.forwarded_for, **(headers or {})}
        if content_type:
            sent["Content-Type"] = content_type
        response = self.session.post(
            self.url + path, data=data, json=json, headers=sent, timeout=30
        )
        return Answer(response)
