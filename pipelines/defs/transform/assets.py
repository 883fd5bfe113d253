"""Transform: the dbt project (staging → intermediate → marts) built on the build database."""

import os

from dagster import AssetExecutionContext, Config
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.core import runs
from pipelines.defs.resources import WarehouseResource, dbt_project
from pipelines.defs.transform.translator import WarehouseDbtTranslator


class DbtBuildConfig(Config):
    full_refresh: bool = False  # rebuild incremental models from scratch


# dbt's tests on the marts (keys, grain, relationships, vocabularies) are the marts' asset checks.
CHECKS_FROM_DBT_TESTS = DagsterDbtTranslatorSettings(enable_asset_checks=True)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=WarehouseDbtTranslator(settings=CHECKS_FROM_DBT_TESTS))
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource,
                     warehouse: WarehouseResource, config: DbtBuildConfig):
    """Seeds, snapshots, models and dbt tests of the warehouse, built with `dbt build`."""
    settings = warehouse.settings()
    # Incremental models assume the tables they update were built by the same SQL: after an upgrade
    # of the project (or the extractor) every model is rebuilt once, then runs are incremental again.
    full_refresh = config.full_refresh or runs.code_changed_since_published(settings.build_db, context.run_id)
    if full_refresh and not config.full_refresh:
        context.log.info("the code changed since the published build: every dbt model is rebuilt (--full-refresh)")
    # dbt runs as a subprocess that inherits this environment; profiles.yml reads the path from it.
    os.environ["RW_BUILD_DB"] = str(settings.build_db)
    # dbt unit tests check the models' SQL, not the data: they run with the project's tests
    # (tests/integration/test_dbt_project.py), not in every warehouse build.
    args = ["build", "--exclude-resource-type", "unit_test", *(["--full-refresh"] if full_refresh else [])]
    # Artifacts and logs of the last build live with the warehouse they built, not in the source tree.
    yield from dbt.cli(args, context=context, target_path=settings.dbt_target_dir).stream()
