"""Publish: swap the validated build into the read-only BI warehouse file."""

from datetime import datetime

from dagster import AssetExecutionContext, Failure, MaterializeResult, MetadataValue, asset

from pipelines.core import comments, data_docs, runs
from pipelines.core.publish import publish
from pipelines.core.validation_audit import failed_blocking_expectations
from pipelines.defs.load.assets import AUDIT_FILES_KEY
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.transform.assets import warehouse_models

# What the file holds: the marts (contract, estimates, analyst marts) and the audit of files; the rest
# of the dbt graph (staging, intermediate, seeds) reaches BI only through them.
PUBLISHED_ASSETS = [key for key in warehouse_models.keys if key.path[0] == "marts"] + [AUDIT_FILES_KEY]


@asset(key=["warehouse", "research_duckdb"], deps=PUBLISHED_ASSETS, group_name="publish", kinds={"duckdb"})
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """The BI warehouse file, replaced atomically once every blocking check has passed."""
    settings = warehouse.settings()
    # Dagster skips this step after a failed blocking check; the audit trail is checked again here
    # so that nothing unvalidated is published whatever the order the checks ran in.
    if failed_blocking_expectations(settings.build_db, context.run_id):
        raise Failure(
            description=runs.close_unpublished(
                settings.build_db, settings.data_docs_dir, context.run_id, otherwise="blocking check failed"
            )
        )
    docs = data_docs.build_run_site(settings.data_docs_dir, context.run_id)
    # `publishing` until the rename is done: the copy itself marks the run published, and a run
    # killed in between is settled against the published file when the next run opens.
    runs.close_run(settings.build_db, context.run_id, datetime.now(), published=False, outcome=runs.PUBLISHING)
    try:
        # The manifest dbt wrote for this build: its descriptions become the BI tools' comments.
        descriptions = comments.from_manifest(settings.dbt_target_dir / "manifest.json")
        path = publish(settings.build_db, settings.warehouse_db, run_id=context.run_id, descriptions=descriptions)
    except Exception as error:
        runs.close_run(
            settings.build_db, context.run_id, datetime.now(), published=False, outcome=f"publish failed: {error}"
        )
        raise
    runs.mark_published(settings.build_db, context.run_id)
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "size_bytes": path.stat().st_size,
            "data_docs": MetadataValue.url(data_docs.site_url(context.run_id)) if docs else "nothing was validated",
        }
    )
