"""The worker process's services, built once from the environment."""

from __future__ import annotations

from functools import cache

from config.settings import load
from gateway.bootstrap import Services


@cache
def services() -> Services:
    return Services(load())
