"""Extract: parse and normalize landed reports into staged Parquet batches (Polars)."""

from __future__ import annotations

from dagster import AssetExecutionContext, MaterializeResult, asset

from pipelines.core.staging import extract_to_staging
from pipelines.defs.resources import WarehouseResource
from pipelines.extraction import EXTRACTOR_VERSION


@asset(key=["staging", "extracted_batches"], deps=[["audit", "files"]], group_name="extract",
       compute_kind="polars")
def extracted_batches(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Reports, claims, metrics, ratings, recommendations and entities of every pending report."""
    settings = warehouse.settings()
    summary = extract_to_staging(settings)
    context.log.info(f"extracted {summary.reports} reports in {summary.batches} batches, "
                     f"{summary.quarantined} quarantined")
    return MaterializeResult(metadata={"batches": summary.batches, "reports": summary.reports,
                                       "quarantined": summary.quarantined,
                                       "extractor_version": EXTRACTOR_VERSION})
