"""Storage: SQLAlchemy models and repositories, the unit of work, connections, Redis USSD sessions."""
