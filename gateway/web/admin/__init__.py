"""`/admin`: operators sign in (Flask-Login sessions, Flask-WTF CSRF on every form) to see the
overview, the lists and the USSD drop-off, and (operators, not viewers) to act. Server-rendered
HTML and SVG only: it works without JavaScript and offline."""
