"""Operator commands (`flask --app wsgi ...`), the development server, the sandbox driver, demo data."""
