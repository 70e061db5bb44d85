"""The conversations: the USSD engine and its journeys, the SMS commands, and the locale texts."""
