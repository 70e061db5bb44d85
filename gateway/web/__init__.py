"""Flask blueprints: thin views that read a request and call the engine or a domain service."""
