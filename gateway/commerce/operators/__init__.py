"""Operators (staff at /admin): accounts and sign-in, the audit trail, and their actions."""
