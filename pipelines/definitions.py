"""The Dagster code location: every asset, check, job, schedule and sensor of the warehouse."""

from __future__ import annotations

from dagster import Definitions

from pipelines.defs.extract.assets import extracted_batches
from pipelines.defs.ingest.assets import received_files
from pipelines.defs.ingest.sensors import inbox_sensor
from pipelines.defs.jobs import warehouse_job
from pipelines.defs.load.assets import raw_tables
from pipelines.defs.publish.assets import published_warehouse
from pipelines.defs.publish.sensors import record_blocked_runs, record_failed_runs
from pipelines.defs.resources import build_resources
from pipelines.defs.schedules import nightly_warehouse
from pipelines.defs.transform.assets import warehouse_models
from pipelines.defs.validate.checks import all_checks

defs = Definitions(
    assets=[received_files, extracted_batches, raw_tables, warehouse_models, published_warehouse],
    asset_checks=all_checks,
    jobs=[warehouse_job],
    schedules=[nightly_warehouse],
    sensors=[inbox_sensor, record_blocked_runs, record_failed_runs],
    resources=build_resources(),
)
