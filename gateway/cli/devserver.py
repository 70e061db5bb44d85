"""`make run`: embedded Redis (unless REDIS_URL), migrate, seed, then gunicorn, one RQ worker
and the scheduler of periodic jobs.

Every setting is passed through from the environment, so the same command runs against a
real Redis, PostgreSQL and provider URLs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from config.settings import load
from gateway.bootstrap import Services
from gateway.cli.demo import seed
from gateway.store.connections import start_embedded_redis
from gateway.store.migrate import upgrade

HOST = os.environ.get("HOST", "127.0.0.1")


def main() -> int:
    env = dict(os.environ)
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = start_embedded_redis()
    settings = load(env)
    upgrade(settings.DATABASE_URL)
    print(f"demo data: {seed(Services(settings).uow())} listings added", flush=True)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    children = [
        subprocess.Popen([*flask, "worker"], env=env),
        subprocess.Popen([*flask, "scheduler"], env=env),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"{HOST}:{settings.PORT}",
                "--workers",
                "2",
                "--config",
                "python:config.gunicorn_conf",
                "wsgi:app",
            ],
            env=env,
        ),
    ]
    time.sleep(1.5)
    url = f"http://{HOST}:{settings.PORT}"
    print(f"\nSokoni is listening on {url}  (Redis: {env['REDIS_URL']})", flush=True)
    print("Dial it:", flush=True)
    print(
        f"  curl -s -d sessionId=s1 -d serviceCode='{settings.USSD_SERVICE_CODE}' "
        f"-d phoneNumber=+254711000001 -d networkCode=63902 -d text= {url}/ussd\n",
        flush=True,
    )
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=15)
    return max((child.returncode or 0) for child in children)


if __name__ == "__main__":
    sys.exit(main())
