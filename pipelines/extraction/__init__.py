"""Dagster-free extraction library: report bytes in, Polars frames out (see `schema.py`)."""

EXTRACTOR_VERSION = "1.1.0"
