"""Load: staged batches into the build DuckDB `raw` schema through Arrow; settle audit.files."""

from datetime import datetime

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, multi_asset

from pipelines.core.build_db import RAW_TABLES
from pipelines.core.staging import load_staged
from pipelines.defs.resources import WarehouseResource

RAW_TABLE_KEYS = [["raw", name] for name in RAW_TABLES]
AUDIT_FILES_KEY = ["audit", "files"]
QUARANTINED_ROWS_KEY = ["audit", "quarantined_rows"]


@multi_asset(
    specs=[
        AssetSpec(
            key,
            deps=[["staging", "extracted_batches"]],
            group_name="load",
            kinds={"duckdb"},
            description=f"Extracted {key[1].replace('_', ' ')} of every loaded report.",
        )
        for key in RAW_TABLE_KEYS
    ]
    + [
        AssetSpec(
            AUDIT_FILES_KEY,
            deps=[["staging", "extracted_batches"]],
            group_name="load",
            kinds={"duckdb"},
            description="Every file received: loaded, duplicate or quarantined.",
        ),
        AssetSpec(
            QUARANTINED_ROWS_KEY,
            deps=[["staging", "extracted_batches"]],
            group_name="load",
            kinds={"duckdb"},
            description="Rows of loaded reports held aside by a blocking row-level expectation.",
        ),
    ],
    can_subset=False,
)
def raw_tables(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Replace each staged batch's rows in the raw tables and settle its files' status."""
    settings = warehouse.settings()
    summary = load_staged(settings, datetime.now())
    context.log.info(
        f"loaded {summary.reports} reports, quarantined {summary.quarantined}, "
        f"held aside {summary.rows_quarantined} rows"
    )
    for key in [*RAW_TABLE_KEYS, AUDIT_FILES_KEY, QUARANTINED_ROWS_KEY]:
        yield MaterializeResult(
            asset_key=key,
            metadata={
                "reports_loaded": summary.reports,
                "reports_quarantined": summary.quarantined,
                "rows_quarantined": summary.rows_quarantined,
            },
        )
