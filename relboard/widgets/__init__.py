"""Reusable widgets: they take plain data in and post messages out; no queries here."""
