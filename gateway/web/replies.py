"""The plain-text answer Africa's Talking and the providers expect from a callback."""

from flask import Response


def plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")
