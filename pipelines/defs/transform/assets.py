"""Transform: the dbt project (staging → intermediate → marts) built on the build database."""

import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetObservation,
    Config,
    MetadataValue,
    Output,
)
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.core import runs
from pipelines.core.build_db import row_counts as build_db_rows
from pipelines.defs.resources import WarehouseResource, dbt_project
from pipelines.defs.transform.translator import WarehouseDbtTranslator


class DbtBuildConfig(Config):
    full_refresh: bool = False  # rebuild incremental models from scratch
    use_colors: bool = False  # ANSI colours in dbt's log: only for a person at a terminal


# dbt's tests on the marts (keys, grain, relationships, vocabularies) are the marts' asset checks.
CHECKS_FROM_DBT_TESTS = DagsterDbtTranslatorSettings(enable_asset_checks=True)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseDbtTranslator(settings=CHECKS_FROM_DBT_TESTS),
)
def warehouse_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtBuildConfig
):
    """Seeds, snapshots, models and dbt tests of the warehouse, built with `dbt build`."""
    settings = warehouse.settings()
    # Incremental models assume the tables they update were built by the same SQL: after an upgrade
    # of the project (or the extractor) every model is rebuilt once, then runs are incremental again.
    full_refresh = config.full_refresh or runs.code_changed_since_published(settings.build_db, context.run_id)
    if full_refresh and not config.full_refresh:
        context.log.info("the code changed since the published build: every dbt model is rebuilt (--full-refresh)")
    # dbt unit tests check the models' SQL, not the data: they run with the project's tests
    # (tests/integration/test_dbt_project.py), not in every warehouse build. profiles.yml reads the
    # build database from `build_db`.
    args = [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        json.dumps({"build_db": str(settings.build_db)}),
        *(["--full-refresh"] if full_refresh else []),
        *([] if config.use_colors else ["--no-use-colors"]),
    ]
    # Artifacts and logs of the last build live with the warehouse they built, not in the source tree.
    yield from _with_row_counts(
        dbt.cli(args, context=context, target_path=settings.dbt_target_dir).stream(), settings.build_db
    )


def _with_row_counts(events: Iterable, build_db: Path) -> Iterator:
    """dbt's events as they happen, then the row count (`dagster/row_count`) of every table built,
    as an observation of that asset.

    The counts are read after dbt has exited: DuckDB has one writer. dagster-dbt's own
    `fetch_row_counts` opens the file through a dbt adapter in this process that stays open, which
    the run's later connections cannot share; holding the materializations back until the counts
    are known would hide dbt's progress. Views are not counted: that would run their query.
    """
    tables: dict[str, AssetKey] = {}
    for event in events:
        node = _manifest_nodes().get(_unique_id(event))
        if isinstance(event, Output | AssetMaterialization) and node and node["config"]["materialized"] in TABLES:
            # schema.alias, not the manifest's relation_name: its database part names the file the
            # manifest was parsed against, not the build database.
            tables[f'"{node["schema"]}"."{node["alias"]}"'] = _asset_key(event, node)
        yield event
    counts = build_db_rows(build_db, tables) if tables else {}
    for relation, asset_key in tables.items():
        yield AssetObservation(asset_key=asset_key, metadata={"dagster/row_count": MetadataValue.int(counts[relation])})


def _asset_key(event, node: dict) -> AssetKey:
    return getattr(event, "asset_key", None) or WarehouseDbtTranslator().get_asset_key(node)


TABLES = ("table", "incremental", "snapshot")


def _unique_id(event) -> str | None:
    value = getattr(event, "metadata", {}).get("unique_id")
    return getattr(value, "value", value)


@cache
def _manifest_nodes() -> dict:
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))["nodes"]
