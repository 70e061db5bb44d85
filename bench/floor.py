"""The floor: the least an Africa's Talking callback can cost, served like Sokoni.

A bare Flask app that answers any `POST` (so every scenario can be replayed against it) by
reading the form, doing one Redis GET and one SET of a key named by `sessionId` (its `text`,
with the session TTL), and answering `CON ok`. Redis comes from `REDIS_URL`, as for the gateway.
Serve it with `gunicorn bench.floor:app`.
"""

from __future__ import annotations

import os

import redis
from flask import Flask
from flask import Response
from flask import request

TTL = int(os.environ.get("USSD_SESSION_TTL") or 180)

app = Flask(__name__)
store = redis.Redis.from_url(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), socket_timeout=5
)
"""Connects on first use; the bench always sets REDIS_URL."""


@app.post("/")
@app.post("/<path:_path>")
def hop(_path: str = "") -> Response:
    """One GET and one SET on the caller's key, then a one-line answer."""
    form = request.form
    key = f"floor:{form.get('sessionId', '')}"
    store.get(key)
    store.set(key, form.get("text", ""), ex=TTL)
    return Response("CON ok", mimetype="text/plain")
