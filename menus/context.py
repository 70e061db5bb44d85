"""What a screen sees during one hop: the caller, their language, the journey's data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from config.settings import Settings
from gateway.commerce.people import Caller
from gateway.store.uow import UnitOfWork


@dataclass
class Context:
    """One hop's view of the session; `data` persists across hops as JSON."""

    caller: Caller
    language: str
    uow: Callable[[], UnitOfWork]
    session_id: str
    hop_key: str
    channel: str = "ussd"
    data: dict[str, Any] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
