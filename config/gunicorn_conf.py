"""gunicorn's settings for Sokoni: `gunicorn -c python:config.gunicorn_conf wsgi:app`.

Logs: with LOG_FORMAT=text (development's default) the access log goes to stdout, masked like
every application log (`config.log_masks`): tokens in callback paths become `***` and phone
numbers `+2547******01`. With LOG_FORMAT=json (production's default) gunicorn's own lines are
JSON too, and the access log is off: the app logs one JSON line per request, with its request
id. Metrics: every worker writes its values under PROMETHEUS_MULTIPROC_DIR (a fresh temporary
folder when it is not set; emptied at start) and `GET /metrics` adds them up. `make run` uses
this file, and production should too (add `--bind`, `--workers` and the like on the command
line).
"""

import os
import shutil
import tempfile
from pathlib import Path

from config.log_masks import install
from config.logs import chosen_format

install()

_given = "PROMETHEUS_MULTIPROC_DIR" in os.environ
METRICS_DIR = Path(
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="sokoni-metrics-"))
)
"""Set before any worker loads prometheus_client, so every worker writes its own files here."""
JSON = chosen_format(os.environ) == "json"

accesslog = None if JSON else "-"
"""The access log on stdout (text), each line masked; with JSON logs the app logs requests."""
if JSON:
    logconfig_dict = {"formatters": {"generic": {"()": "config.logs.JsonFormatter"}}}
    """gunicorn's own lines (started, booting worker, ...) as JSON too."""
control_socket_disable = True
"""Sokoni does not use gunicornctl, and gateways sharing a machine would share its socket path."""


def on_starting(server: object) -> None:
    """Forget the values of an earlier run (they would add up with this one's)."""
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in METRICS_DIR.glob("*.db"):
        stale.unlink()


def child_exit(server: object, worker: object) -> None:
    """A worker is gone: its live gauges no longer count (counters and histograms stay)."""
    # Deferred: prometheus_client picks its mode when imported, after METRICS_DIR is set.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]


def on_exit(server: object) -> None:
    if not _given:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
