"""Who may call us: every request within the body limit, the client's address as the trusted
proxies tell it, and Africa's Talking's callbacks only with the path token and from the
allowed networks. Refused callbacks are counted.

Africa's Talking signs nothing, so its callbacks are authenticated as its integrators do it:
with AT_CALLBACK_TOKEN set, each one is served at its path plus `/<token>` (`/sms/inbound/<token>`)
and the bare path answers 404; AT_ALLOWED_NETWORKS, if set, answers 403 to any other address.
The network is checked first, so an outsider cannot learn whether a token is right. Payment
callbacks (`gateway/web/payments.py`) and carrier webhooks (`gateway/web/logistics.py`) check
their own token or signature and count refusals here.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Any

import redis
from flask import Flask
from flask import abort
from flask import g
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Settings
from gateway.current import services
from gateway.store.refusals import Refusals

log = logging.getLogger(__name__)

AT_CALLBACKS = ("ussd.hop", "ussd.session_end", "sms.inbound", "sms.delivery", "sms.opt_out")
"""The endpoints Africa's Talking calls."""
TOKEN = "at_token"
"""The URL part holding AT_CALLBACK_TOKEN."""
KEPT_PER_HOUR = 100
"""Refused callbacks of one kind stored per hour (every one is counted); the rest are not kept."""
KEPT_BODY = 2048
"""Bytes of a refused callback's body that are kept."""


def init_app(app: Flask, settings: Settings) -> None:
    """Body limit, proxy headers, token paths and the guard, for `app` (after its blueprints)."""
    app.config["MAX_CONTENT_LENGTH"] = settings.MAX_CONTENT_LENGTH
    if settings.TRUSTED_PROXIES:
        hops = settings.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    for rule in list(app.url_map.iter_rules()):
        if rule.endpoint in AT_CALLBACKS:
            app.add_url_rule(f"{rule.rule}/<{TOKEN}>", rule.endpoint, methods=rule.methods)
    app.url_value_preprocessor(_take_token)
    app.before_request(_guard)


def token_ok(given: str, current: str, previous: str = "") -> bool:
    """Whether `given` is the current token or the one being rotated out (constant time)."""
    return any(
        expected and hmac.compare_digest(given.encode(), expected.encode())
        for expected in (current, previous)
    )


def refused(what: str) -> bool:
    """Count a refused callback (`what`: the endpoint and why, e.g. `sms.inbound token`).

    Returns:
        Whether few enough were refused this hour that this one may be stored.
    """
    log.warning("refused %s from %s", what, request.remote_addr)
    svc = services()
    try:
        return Refusals(svc.connections.redis).count(what, svc.clock()) <= KEPT_PER_HOUR
    except redis.RedisError:
        log.exception("could not count a refused %s", what)
        return False


def _take_token(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.at_token = values.pop(TOKEN, None) if values else None


def _guard() -> None:
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)
    if request.endpoint not in AT_CALLBACKS:
        return
    settings = services().settings
    allowed = settings.at_allowed_networks
    if allowed and not _inside(request.remote_addr, allowed):
        refused(f"{request.endpoint} network")
        abort(403)
    token: str | None = g.at_token
    if not settings.AT_CALLBACK_TOKEN:
        if token is not None:
            abort(404)
        return
    if token is None or not token_ok(
        token, settings.AT_CALLBACK_TOKEN, settings.AT_CALLBACK_TOKEN_PREVIOUS
    ):
        refused(f"{request.endpoint} token")
        abort(404)


def _inside(
    address: str | None, allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in allowed)
