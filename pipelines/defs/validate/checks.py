"""Great Expectations suites as blocking Dagster asset checks on the raw tables and the marts.

Cost follows the run, not the warehouse: the raw suites ran on every extracted batch (in the
extraction workers), so a raw check reports those results; the files check validates only the rows
this run wrote, read from DuckDB in bounded chunks; the mart suites hold only the shrink guard,
decided from SQL counts (the marts' keys, grain, relationships and vocabularies are dbt tests, which
dagster-dbt reports as asset checks on the dbt assets).
"""

from datetime import datetime
from pathlib import Path

import polars as pl
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from pipelines.core import data_docs, validation
from pipelines.core.build_db import connect
from pipelines.core.validation_audit import CHECK_STAGE, EXTRACT_STAGE, record_outcomes, stage_outcomes
from pipelines.defs.resources import WarehouseResource

CONTRACT_MARTS = (
    "dim_broker",
    "dim_industry",
    "dim_company",
    "dim_date",
    "dim_report",
    "fct_claim",
    "fct_metric",
    "fct_recommendation",
    "fct_rating",
    "fct_entity_mention",
)
# Rows per chunk handed to GX (pandas): bounds the checks' memory whatever the size of the run.
CHECK_CHUNK_ROWS = 200_000


def _previous_row_count(warehouse_db: Path, table_name: str) -> int | None:
    """Rows of the table in the currently published warehouse (None before the first publish)."""
    if not warehouse_db.exists():
        return None
    with connect(warehouse_db, read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_schema || '.' || table_name = ?", [table_name]
        ).fetchone()[0]
        return con.execute(f"select count(*) from {table_name}").fetchone()[0] if found else None


def _rows_written_by_run(con, table_name: str, run_id: str) -> tuple[str, list]:
    """The query for the rows of `table_name` this run wrote, and its parameters.

    dbt stamps incremental rows with `built_at` (one value per dbt build), so the latest stamp is this
    run's; audit.files rows carry the run that received or last settled them; other marts are small
    tables rebuilt whole, validated whole.
    """
    schema_name, table = table_name.split(".")
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema_name, table],
        ).fetchall()
    }
    if "built_at" in columns:
        return f"select * from {table_name} where built_at = (select max(built_at) from {table_name})", []
    if table_name == "audit.files":
        return (
            """select * from audit.files where run_id = ? or updated_at >= (
                      select started_at from audit.runs where run_id = ?)""",
            [run_id, run_id],
        )
    return f"select * from {table_name}", []


def _validate_written_rows(
    build_db: Path, suite: str, table_name: str, run_id: str, min_row_count: int
) -> tuple[validation.SuiteValidation, int]:
    """The suite on the rows this run wrote, chunk by chunk; also returns how many rows that was.

    A suite of table-level expectations only (the marts' shrink guard) reads no rows: it is decided
    from counts.
    """
    with connect(build_db, read_only=True) as con:
        table_rows = con.execute(f"select count(*) from {table_name}").fetchone()[0]
        sql, params = _rows_written_by_run(con, table_name, run_id)
        [(written,)] = con.execute(f"select count(*) from ({sql})", params).fetchall()
        if not validation.checks_rows(suite):
            sql = f"select * from ({sql}) limit 0"
        reader = con.sql(sql, params=params).to_arrow_reader(CHECK_CHUNK_ROWS)

        def chunks():
            empty = True
            for batch in reader:
                empty = False
                yield pl.from_arrow(batch)
            if empty:  # nothing written or nothing to read: the suite still checks the columns
                yield pl.from_arrow(reader.schema.empty_table())

        result = validation.validate_in_chunks(
            suite, chunks(), table_name=table_name, table_rows=table_rows, min_row_count=min_row_count
        )
    return result, written


def _check_result(run_id: str, outcomes: list[validation.ExpectationOutcome], rows: int) -> AssetCheckResult:
    """Passed when every expectation held; ERROR severity (the publish is blocked) when one that stops it failed."""
    blocking = validation.publish_blocking_failures(outcomes)
    failed = [o for o in outcomes if not o.success]
    return AssetCheckResult(
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
        metadata={
            "rows": rows,
            "expectations": len(outcomes),
            "failed": [f"{o.expectation} ({o.unexpected_count} rows)" for o in failed],
            "blocking_failed": [o.expectation for o in blocking],
            "data_docs": MetadataValue.url(data_docs.site_url(run_id)),
        },
    )


def gx_check(asset_key: list[str], suite: str, *, guard_shrinking: bool = False):
    """A blocking asset check that validates the rows this run wrote to one table against one suite."""
    table_name = ".".join(asset_key)

    @asset_check(
        asset=AssetKey(asset_key),
        name=f"gx_{suite}",
        blocking=True,
        description=f"Great Expectations suite `{suite}` on the rows of {table_name} this run wrote.",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        settings, run_id = warehouse.settings(), context.run.run_id
        previous = _previous_row_count(settings.warehouse_db, table_name) if guard_shrinking else None
        result, rows = _validate_written_rows(
            settings.build_db,
            suite,
            table_name,
            run_id,
            validation.mart_runtime_params(previous)[validation.MIN_ROW_COUNT],
        )
        record_outcomes(settings.build_db, run_id, result.outcomes, datetime.now(), CHECK_STAGE)
        # Results are kept as JSON and rendered into one site at the end of the run (publish or CLI).
        validation.save_validation(result, data_docs.results_dir(settings.data_docs_dir, run_id))
        return _check_result(run_id, result.outcomes, rows)

    return _check


def raw_check(table: str):
    """A blocking asset check on a raw table: the raw suite's results on every batch this run extracted."""
    suite = validation.RAW_SUITES[table]

    @asset_check(
        asset=AssetKey(["raw", table]),
        name=f"gx_{suite}",
        blocking=True,
        description=f"Great Expectations suite `{suite}`, run on every batch extracted into raw.{table}.",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        settings, run_id = warehouse.settings(), context.run.run_id
        recorded = stage_outcomes(settings.build_db, run_id, EXTRACT_STAGE, suite)
        failed = [(expectation, count) for expectation, success, count, _ in recorded if not success]
        stopping = [expectation for expectation, _, _, stops in recorded if stops]
        with connect(settings.build_db, read_only=True) as con:
            rows = con.execute(
                f"select count(*) from raw.{table} where loaded_at = (select max(loaded_at) from raw.reports)"
            ).fetchone()[0]
        # Failed row checks quarantined their reports before loading; only what that could not mend blocks.
        return AssetCheckResult(
            passed=not stopping,
            severity=AssetCheckSeverity.ERROR if stopping else AssetCheckSeverity.WARN,
            metadata={
                "rows_loaded": rows,
                "expectations": len(recorded),
                "failed_and_quarantined": [f"{e} ({c} rows)" for e, c in failed if e not in stopping],
                "blocking_failed": stopping,
                "data_docs": MetadataValue.url(data_docs.site_url(run_id)),
            },
        )

    return _check


raw_checks = [raw_check(table) for table in validation.RAW_SUITES]
files_check = gx_check(["audit", "files"], "audit_files")
mart_checks = [gx_check(["marts", mart], f"marts_{mart}", guard_shrinking=True) for mart in CONTRACT_MARTS]
all_checks = [*raw_checks, files_check, *mart_checks]
