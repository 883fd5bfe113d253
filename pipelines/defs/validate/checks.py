"""Great Expectations suites as blocking Dagster asset checks on the raw tables and the marts."""

from datetime import datetime
from pathlib import Path

import polars as pl
from dagster import (AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetKey,
                     MetadataValue, asset_check)

from pipelines.core import data_docs, validation
from pipelines.core.build_db import connect
from pipelines.core.validation_audit import CHECK_STAGE, record_outcomes
from pipelines.defs.resources import WarehouseResource

CONTRACT_MARTS = ("dim_broker", "dim_industry", "dim_company", "dim_date", "dim_report", "fct_claim",
                  "fct_metric", "fct_recommendation", "fct_rating", "fct_entity_mention")

# The rows a raw suite validates: what the latest load wrote, with the report text the offsets point into.
_LATEST_LOAD = "loaded_at = (select max(loaded_at) from raw.reports)"
_TEXT_LENGTH = "(select report_id, length(text) as report_text_length from raw.report_texts)"
RAW_FRAMES = {
    "reports": f"select r.*, t.text from raw.reports r join raw.report_texts t using (report_id) "
               f"where r.{_LATEST_LOAD}",
    "recommendations": f"select * from raw.recommendations where {_LATEST_LOAD}",
    **{table: f"select x.*, t.report_text_length from raw.{table} x left join {_TEXT_LENGTH} t "
              f"using (report_id) where x.{_LATEST_LOAD}"
       for table in ("claims", "metrics", "ratings", "entity_mentions")},
}


def _previous_row_count(warehouse_db: Path, table_name: str) -> int | None:
    """Rows of the table in the currently published warehouse (None before the first publish)."""
    if not warehouse_db.exists():
        return None
    with connect(warehouse_db, read_only=True) as con:
        found = con.execute("select count(*) from information_schema.tables where table_schema || '.' || "
                            "table_name = ?", [table_name]).fetchone()[0]
        return con.execute(f"select count(*) from {table_name}").fetchone()[0] if found else None


def gx_check(asset_key: list[str], suite: str, frame_sql: str, *, guard_shrinking: bool = False):
    """A blocking asset check that validates `frame_sql`'s rows against one reviewed suite."""
    table_name = ".".join(asset_key)

    @asset_check(asset=AssetKey(asset_key), name=f"gx_{suite}", blocking=True,
                 description=f"Great Expectations suite `{suite}` on {table_name}.")
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        settings, run_id = warehouse.settings(), context.run.run_id
        with connect(settings.build_db, read_only=True) as con:
            frame = pl.from_arrow(con.sql(frame_sql).to_arrow_table())
        params = (validation.mart_runtime_params(_previous_row_count(settings.warehouse_db, table_name))
                  if guard_shrinking else None)
        result = validation.validate_frame(suite, frame, table_name=table_name, runtime_params=params)
        record_outcomes(settings.build_db, run_id, result.outcomes, datetime.now(), CHECK_STAGE)
        # Results are kept as JSON and rendered into one site at the end of the run (publish or CLI).
        validation.save_validation(result, data_docs.results_dir(settings.data_docs_dir, run_id))
        blocking = validation.publish_blocking_failures(result.outcomes)
        failed = [o for o in result.outcomes if not o.success]
        return AssetCheckResult(
            passed=not failed,
            severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
            metadata={"rows": frame.height, "expectations": len(result.outcomes),
                      "failed": [f"{o.expectation} ({o.unexpected_count} rows)" for o in failed],
                      "blocking_failed": [o.expectation for o in blocking],
                      "data_docs": MetadataValue.path(str(data_docs.site_index(settings.data_docs_dir, run_id)))})

    return _check


raw_checks = [gx_check(["raw", table], validation.RAW_SUITES[table], sql) for table, sql in RAW_FRAMES.items()]
files_check = gx_check(["audit", "files"], "audit_files", "select * from audit.files")
mart_checks = [gx_check(["marts", mart], f"marts_{mart}", f"select * from marts.{mart}", guard_shrinking=True)
               for mart in CONTRACT_MARTS]
all_checks = [*raw_checks, files_check, *mart_checks]
