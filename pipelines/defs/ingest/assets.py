"""Ingest: receive the inbox into the landing store and record every file in audit.files."""

from collections import Counter
from datetime import datetime

from dagster import AssetExecutionContext, MaterializeResult, asset

from pipelines.core import build_db, runs
from pipelines.core.landing import receive_inbox
from pipelines.defs.resources import WarehouseResource
from pipelines.extraction import EXTRACTOR_VERSION


@asset(key=["landing", "received_files"], group_name="ingest", compute_kind="python")
def received_files(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Every new inbox file, landed by content hash and recorded in audit.files as received."""
    settings = warehouse.settings()
    now = datetime.now()
    build_db.initialize(settings.build_db)
    runs.open_run(settings.build_db, context.run_id, now, EXTRACTOR_VERSION, settings.warehouse_db)
    seen, first_by_content = build_db.known_files(settings.build_db)
    received = receive_inbox(settings.inbox, settings.landing_dir, known_files=seen,
                             known_content=first_by_content, max_file_bytes=settings.max_file_bytes,
                             settle_seconds=settings.settle_seconds, now=now)
    build_db.record_received(settings.build_db, received, context.run_id)
    by_status = Counter(f.status for f in received)
    for item in received:
        if item.reason:
            context.log.warning(f"quarantined {item.source_file!r}: {item.reason}")
    return MaterializeResult(metadata={
        "inbox": str(settings.inbox), "files_received": len(received),
        **{f"files_{status}": count for status, count in sorted(by_status.items())}})
