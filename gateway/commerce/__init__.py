"""The domain: people, catalogue, orders, payments, parcels, agents and messages. It knows nothing of Flask, USSD, SMS wording, Redis or RQ."""
