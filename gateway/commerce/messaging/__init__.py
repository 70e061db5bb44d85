"""Messages: outgoing SMS and their sending, inbound SMS, delivery reports, news to people."""
