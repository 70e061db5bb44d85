"""Read-only views for operators: the overview, USSD drop-off, lists, and trade figures."""
