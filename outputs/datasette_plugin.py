"""Datasette plugin (placeholder until the dashboard lands)."""
