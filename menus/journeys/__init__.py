"""The USSD journeys, one module each; `menus.journeys.registry` collects their screens."""
