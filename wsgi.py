"""The WSGI app for gunicorn and `flask --app wsgi`."""

from gateway.app import create_app

app = create_app()
