"""What a worker process builds once and keeps for every job: its services, and the threads
that send SMS calls side by side."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache

from config.settings import load
from gateway.bootstrap import Services


@cache
def services() -> Services:
    return Services(load())


@cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="sms-send")


def senders(services: Services) -> ThreadPoolExecutor:
    """The process's SMS_SEND_CONCURRENCY threads for provider calls."""
    return _pool(services.settings.SMS_SEND_CONCURRENCY)
