"""What `make run` adds for development: one built-in fake Africa's Talking shared by the web
and worker processes (it prints each SMS, keeps each phone's inbox for /simulator and posts
delivery reports back), unless AT_API_KEY is set; and the URLs to open."""

from __future__ import annotations

from config import log_masks
from config import logs
from gateway.providers.fakes.africastalking import FakeAfricasTalking

_running: list[FakeAfricasTalking] = []


def fake_africastalking(env: dict[str, str], url: str) -> None:
    """Start the fake (in this process, for as long as it runs) and point `env` at it, when
    no Africa's Talking key is given."""
    if env.get("AT_API_KEY"):
        return
    logs.configure(logs.chosen_format(env))  # the fake prints each SMS in this process
    log_masks.install()
    token = env.get("AT_CALLBACK_TOKEN", "")
    delivery = f"{url}/sms/delivery" + (f"/{token}" if token else "")
    fake = FakeAfricasTalking(show_texts=True, delivery_url=delivery).start()
    _running.append(fake)
    env.update(AT_API_URL=fake.url, AT_API_KEY=fake.api_key, AT_USERNAME=fake.username)


def urls(url: str) -> str:
    """The lines `make run` prints: where to dial, watch and log in."""
    return (
        f"  phone simulator: {url}/simulator/\n"
        f"  operators:       {url}/admin/  (first: .venv/bin/flask --app wsgi admin create-user "
        "you@example.com --role operator)\n"
        f"  metrics:         {url}/metrics\n"
    )
