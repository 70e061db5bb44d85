"""Fixtures of the fault tests: the gateway over real HTTP, the settings a worker process reads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gateway.app import create_app
from gateway.bootstrap import Services
from tests.faults.support import LiveGateway


def served(services: Services) -> LiveGateway:
    """`services` behind the real app, served over HTTP on a free port."""
    app = create_app(services.settings)
    app.extensions["sokoni"] = services
    return LiveGateway(app)


@pytest.fixture()
def live(services: Services) -> Iterator[LiveGateway]:
    """The gateway over real HTTP, on the test database and Redis."""
    gateway = served(services)
    yield gateway
    gateway.stop()
