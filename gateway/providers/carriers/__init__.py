"""Carriers: their signed webhook events, and the API of carriers Sokoni polls for news."""
