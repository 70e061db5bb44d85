"""The Sokoni gateway: web edge, domain, store, providers and operator commands.

This package builds nothing on import; the Flask app comes from `gateway.app.create_app`.
"""
