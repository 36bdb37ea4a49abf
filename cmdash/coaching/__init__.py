"""Coaching (DOMAIN §4)."""
