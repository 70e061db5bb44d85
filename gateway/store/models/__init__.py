"""SQLAlchemy 2.x typed models, one module per noun; `gateway.store.schema` loads them all."""
