"""gunicorn's settings for Sokoni: `gunicorn -c python:config.gunicorn_conf wsgi:app`.

The access log goes to stdout, masked like every application log (`config.log_masks`): tokens
in callback paths become `***` and phone numbers `+2547******01`. `make run` uses this file, and
production should too (add `--bind`, `--workers` and the like on the command line).
"""

from config.log_masks import install

install()

accesslog = "-"
"""The access log on stdout; each line is masked before it is written."""
control_socket_disable = True
"""Sokoni does not use gunicornctl, and gateways sharing a machine would share its socket path."""
