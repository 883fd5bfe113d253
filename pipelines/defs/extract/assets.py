"""Extract: parse and normalize landed reports into staged Parquet batches (Polars)."""

from datetime import datetime

import polars as pl
from dagster import AssetExecutionContext, MaterializeResult, asset

from pipelines.core import validation
from pipelines.core.staging import extract_to_staging
from pipelines.core.validation_audit import EXTRACT_STAGE, record_outcomes
from pipelines.defs.resources import WarehouseResource
from pipelines.extraction import EXTRACTOR_VERSION


@asset(key=["staging", "extracted_batches"], deps=[["landing", "received_files"]], group_name="extract",
       compute_kind="polars")
def extracted_batches(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Reports, claims, metrics, ratings, recommendations and entities of every pending report."""
    settings = warehouse.settings()

    def quarantine_failing_rows(frames: dict[str, pl.DataFrame], texts: pl.DataFrame) -> dict[str, str]:
        # Row-level expectations run per batch, before loading, so one bad report never blocks the rest.
        outcomes = validation.outcomes_of(validation.validate_extraction(frames, texts))
        record_outcomes(settings.build_db, context.run_id, outcomes, datetime.now(), EXTRACT_STAGE)
        failing = validation.reports_failing_row_checks(outcomes)
        for report_id, reason in failing.items():
            context.log.warning(f"quarantined report {report_id}: {reason}")
        return failing

    summary = extract_to_staging(settings, row_validator=quarantine_failing_rows)
    context.log.info(f"extracted {summary.reports} reports in {summary.batches} batches, "
                     f"{summary.quarantined} quarantined")
    return MaterializeResult(metadata={"batches": summary.batches, "reports": summary.reports,
                                       "quarantined": summary.quarantined,
                                       "extractor_version": EXTRACTOR_VERSION})
