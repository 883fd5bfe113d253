"""The nightly run at 02:00 Shanghai time."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from pipelines.defs.jobs import warehouse_job

nightly_warehouse = ScheduleDefinition(
    name="nightly_warehouse",
    job=warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Rebuild and publish the warehouse every night at 02:00 Asia/Shanghai.",
)
