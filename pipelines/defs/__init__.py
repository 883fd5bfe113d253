"""Dagster wiring, one folder per stage. No `from __future__ import annotations` here: Dagster
inspects the context type hints at definition time and needs real classes, not strings."""
