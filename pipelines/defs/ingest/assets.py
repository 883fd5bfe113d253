"""Ingest: receive the inbox into the landing store and record every file in audit.files."""

from collections import Counter
from datetime import datetime

from dagster import AssetExecutionContext, Config, Failure, MaterializeResult, asset

from pipelines.core import build_db, runs, validation
from pipelines.core.landing import inbox_problem, receive_inbox
from pipelines.defs.resources import WarehouseResource, dbt_project
from pipelines.extraction import EXTRACTOR_VERSION


class ReceiveConfig(Config):
    rebuild: bool = False  # build, validate and publish even when nothing is new


@asset(key=["landing", "received_files"], group_name="ingest", kinds={"python"}, output_required=False)
def received_files(context: AssetExecutionContext, warehouse: WarehouseResource, config: ReceiveConfig):
    """Every new inbox file, landed by content hash and recorded in audit.files as received."""
    settings = warehouse.settings()
    now = datetime.now()
    build_db.initialize(settings.build_db)
    fingerprint = runs.code_fingerprint(dbt_project.manifest_path, validation.suites_dir(), EXTRACTOR_VERSION)
    runs.open_run(settings.build_db, context.run_id, now, EXTRACTOR_VERSION, settings.warehouse_db, fingerprint)
    problem = inbox_problem(settings.inbox)
    if problem:  # the run is on record; closing it (CLI, run-status sensor) names this reason
        raise Failure(description=problem)
    seen, first_by_content = build_db.known_files(settings.build_db)
    received = receive_inbox(
        settings.inbox,
        settings.landing_dir,
        known_files=seen,
        known_content=first_by_content,
        max_file_bytes=settings.max_file_bytes,
        settle_seconds=settings.settle_seconds,
        now=now,
    )
    build_db.record_received(settings.build_db, received, context.run_id)
    for item in received:
        if item.reason:
            context.log.warning(f"quarantined {item.source_file!r}: {item.reason}")
    if not config.rebuild and runs.warehouse_is_current(
        settings.build_db, settings.warehouse_db, context.run_id, fingerprint, EXTRACTOR_VERSION
    ):
        # No output: Dagster skips extraction, dbt, the checks and publishing; the run is on record.
        runs.close_run(settings.build_db, context.run_id, datetime.now(), published=False, outcome=runs.NOTHING_NEW)
        context.log.info(f"nothing new in {settings.inbox}: the published warehouse is current")
        return
    by_status = Counter(f.status for f in received)
    yield MaterializeResult(
        metadata={
            "inbox": str(settings.inbox),
            "files_received": len(received),
            **{f"files_{status}": count for status, count in sorted(by_status.items())},
        }
    )
