"""The one job: the whole asset graph, run in-process (DuckDB allows one writer process)."""

from dagster import AssetSelection, define_asset_job, in_process_executor

# Runs carrying this tag are limited to one at a time by the run queue (dagster.yaml).
EXCLUSIVE_TAG = {"research-warehouse/exclusive": "build"}

warehouse_job = define_asset_job(
    name="research_warehouse",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    tags=EXCLUSIVE_TAG,
    description="Receive the inbox, extract, load, build the marts, validate and publish.",
)
