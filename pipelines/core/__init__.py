"""Dagster-free building blocks: landing store, build database, publishing, validation."""
