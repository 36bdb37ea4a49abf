"""Threshold alerts: rules as data (rules.py), what fires (check.py), what was already
sent (state.py) and the optional senders (send.py)."""
