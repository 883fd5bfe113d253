"""Start a run when the inbox changes."""

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from pipelines.core.landing import inbox_fingerprint
from pipelines.defs.jobs import warehouse_job
from pipelines.defs.resources import WarehouseResource


@sensor(
    job=warehouse_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Starts a warehouse run when files arrive in (or change in) the inbox.",
)
def inbox_sensor(context: SensorEvaluationContext, warehouse: WarehouseResource):
    """Requests a warehouse run when files arrive in (or change in) the inbox."""
    fingerprint = inbox_fingerprint(warehouse.paths().inbox)
    if not fingerprint or fingerprint == context.cursor:
        return SkipReason("no new files in the inbox")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=fingerprint)
