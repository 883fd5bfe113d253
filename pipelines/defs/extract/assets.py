"""Extract: parse and normalize landed reports into staged Parquet batches (Polars), on every core."""

from datetime import datetime

from dagster import AssetExecutionContext, MaterializeResult, asset

from pipelines.console import progress_message
from pipelines.core import build_db, data_docs, validation
from pipelines.core.staging import BatchResult, extract_to_staging
from pipelines.core.validation_audit import EXTRACT_STAGE, record_outcomes
from pipelines.defs.resources import WarehouseResource
from pipelines.extraction import EXTRACTOR_VERSION


@asset(
    key=["staging", "extracted_batches"], deps=[["landing", "received_files"]], group_name="extract", kinds={"polars"}
)
def extracted_batches(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Reports, claims, metrics, ratings, recommendations and entities of every pending report."""
    settings = warehouse.settings()
    outcomes: list[validation.ExpectationOutcome] = []
    # One GX result per raw suite for the run's Data Docs: the first batch that failed it, else the first.
    docs_results: dict[str, validation.SuiteValidation] = {}
    pending = len(build_db.pending_extraction(settings.build_db, EXTRACTOR_VERSION))
    extracted = 0

    def collect(result: BatchResult) -> None:
        nonlocal extracted
        extracted += result.reports + len(result.quarantined)
        context.log.info(progress_message(extracted, pending, "reports"))
        outcomes.extend(result.outcomes)
        for suite_validation in result.validations:
            kept = docs_results.get(suite_validation.suite)
            if kept is None or (kept.passed and not suite_validation.passed):
                docs_results[suite_validation.suite] = suite_validation
        for report_id, reason in result.quarantined.items():
            context.log.warning(f"quarantined report {report_id}: {reason}")
        if result.rows_quarantined:
            context.log.warning(
                f"held aside {result.rows_quarantined} row(s) of batch {result.number} (audit.quarantined_rows)"
            )

    summary = extract_to_staging(settings, on_batch=collect)
    # Row-level expectations ran on every batch in the workers; one row per expectation for the run.
    record_outcomes(
        settings.build_db, context.run_id, validation.merge_outcomes(outcomes), datetime.now(), EXTRACT_STAGE
    )
    for suite_validation in docs_results.values():
        validation.save_validation(suite_validation, data_docs.results_dir(settings.data_docs_dir, context.run_id))
    where = (
        f"the Dask cluster at {settings.dask_scheduler}" if settings.dask_scheduler else f"{settings.workers} worker(s)"
    )
    context.log.info(
        f"extracted {summary.reports} reports in {summary.batches} batches on {where}, "
        f"{summary.quarantined} quarantined, {summary.rows_quarantined} row(s) held aside"
    )
    return MaterializeResult(
        metadata={
            "batches": summary.batches,
            "reports": summary.reports,
            "quarantined": summary.quarantined,
            "rows_quarantined": summary.rows_quarantined,
            "workers": settings.workers,
            "extractor_version": EXTRACTOR_VERSION,
        }
    )
