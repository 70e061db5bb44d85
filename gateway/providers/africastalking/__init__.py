"""Africa's Talking: sending SMS with the official SDK, and reading its SMS and USSD callbacks."""
