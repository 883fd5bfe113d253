"""Research Warehouse: broker reports in, a validated DuckDB warehouse out.

`pipelines.extraction` and `pipelines.core` are Dagster-free libraries; `pipelines.defs`
wires them into the Dagster asset graph (`pipelines.definitions`).
"""
