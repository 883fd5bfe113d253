"""Close the audit record of runs that ended without publishing (blocked or failed)."""

from dagster import DagsterRunStatus, DefaultSensorStatus, RunStatusSensorContext, run_status_sensor

from pipelines.core import runs
from pipelines.core.lock import RunInProgress, exclusive_run
from pipelines.defs.jobs import warehouse_job
from pipelines.defs.resources import WarehouseResource


def _close_unpublished(context: RunStatusSensorContext, warehouse: WarehouseResource, outcome: str) -> None:
    """Close the run's audit record unless it published; `outcome` is the reason if no check failed."""
    settings = warehouse.paths()
    run_id = context.dagster_run.run_id
    if not settings.build_db.exists():
        return
    try:
        # The daemon must not write the build database while the next run uses it (DuckDB has one
        # writer process). If a run holds the lock, this record stays open and that run's successor
        # closes it as interrupted (runs.open_run).
        with exclusive_run(settings.lock_file):
            record = runs.run_record(settings.build_db, run_id)
            if record is not None and runs.is_open(record):
                runs.close_unpublished(settings.build_db, settings.data_docs_dir, run_id, otherwise=outcome)
    except RunInProgress:
        context.log.warning(f"run {run_id} not closed in audit.runs: another run holds the warehouse lock")


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=[warehouse_job],
    default_status=DefaultSensorStatus.RUNNING,
    description="Records in audit.runs why a finished warehouse run did not publish (a blocking check).",
)
def record_blocked_runs(context: RunStatusSensorContext, warehouse: WarehouseResource):
    """Marks a finished run that skipped publishing (a blocking check failed) in audit.runs."""
    _close_unpublished(context, warehouse, "the publish step did not run")


@run_status_sensor(
    run_status=DagsterRunStatus.FAILURE,
    monitored_jobs=[warehouse_job],
    default_status=DefaultSensorStatus.RUNNING,
    description="Records a failed warehouse run as not published in audit.runs.",
)
def record_failed_runs(context: RunStatusSensorContext, warehouse: WarehouseResource):
    """Marks a failed run as not published in audit.runs."""
    _close_unpublished(context, warehouse, "the run failed")
