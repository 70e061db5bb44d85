"""The embedded Redis of `make run` is shared: another process joins it and never replaces it."""

import subprocess
import sys

import redis

from gateway.store.connections import start_embedded_redis

JOIN = "import sys; from pathlib import Path; from gateway.store.connections import start_embedded_redis as s; print(s(Path(sys.argv[1])))"


def test_a_cli_command_in_another_process_joins_the_running_embedded_redis(tmp_path):
    url = start_embedded_redis(tmp_path / "redis.db")
    server = redis.Redis.from_url(url)
    server.set("gateway", "still here")
    joined = subprocess.run(
        [sys.executable, "-c", JOIN, str(tmp_path / "redis.db")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert joined == url
    assert redis.Redis.from_url(url).get("gateway") == b"still here"
