"""Resources: where the warehouse lives (Dagster config, from the environment) and the dbt CLI."""

import importlib.metadata
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from dagster import ConfigurableResource, Definitions, EnvVar, InitResourceContext, definitions
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from pipelines.core.lock import exclusive_run
from pipelines.settings import DBT_PROJECT_DIR, ENV_VARS, Settings, settings_from_env

# profiles.yml takes the build database from `--vars` (the transform asset passes settings.build_db);
# parsing the project opens no database, so the manifest is prepared with an in-memory one.
dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, prepare_project_cli_args=["parse", "--quiet", "--vars", '{build_db: ":memory:"}']
)
# The dbt installed beside this interpreter, so runs work whether or not the venv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


class WarehouseResource(ConfigurableResource):
    """The run's `Settings` (pipelines/settings.py) as Dagster config: the code location binds the
    inbox and RW_HOME to `EnvVar("RW_INBOX")`/`EnvVar("RW_HOME")`, resolved when a run starts; run
    config may override any field. A field left unset (None) is read by `settings_from_env`: its
    environment variable, else the default.

    Every step of a run uses this resource, and the in-process executor sets it up once before the
    first step and tears it down after the last, so holding the RW_HOME lock here makes runs
    launched from the Dagster UI, a schedule or a sensor exclusive like command-line runs: a second
    run fails at start with "another run is in progress" instead of writing the same files.
    """

    inbox: str | None = None
    home: str | None = None
    max_file_bytes: int | None = None  # larger files are quarantined unread
    settle_seconds: float | None = None  # younger files wait for the next run
    workers: int | None = None  # extraction processes; default every core
    batch_size: int | None = None  # most reports per extraction batch
    landing_url: str | None = None  # fsspec URL of the landing store; default under RW_HOME
    staging_url: str | None = None  # fsspec URL of the staged batches; default under RW_HOME
    dask_scheduler: str | None = None  # tcp://host:8786: extraction runs on that cluster's workers

    def settings(self) -> Settings:
        settings = settings_from_env(
            self.inbox,
            self.home,
            self.workers,
            max_file_bytes=self.max_file_bytes,
            settle_seconds=self.settle_seconds,
            batch_size=self.batch_size,
            landing_url=self.landing_url,
            staging_url=self.staging_url,
            dask_scheduler=self.dask_scheduler,
        )
        settings.ensure_dirs()
        return settings

    def paths(self) -> Settings:
        """The same settings without creating folders: what a sensor reads between runs."""
        return settings_from_env(self.inbox, self.home, self.workers)

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator["WarehouseResource"]:
        # A sensor evaluation has no run: it only reads paths, and must not wait on a run's lock.
        if context.run_id is None:
            yield self
            return
        with exclusive_run(self.settings().lock_file):
            yield self


class OfflineDbtCliResource(DbtCliResource):
    """The dbt CLI, without the version probe that goes online.

    dagster-dbt learns the dbt version by running `dbt --version`, which asks pypi.org for the latest
    dbt-core and dbt-duckdb releases: a network call in every run. The executable is the dbt-core
    installed beside this interpreter, so its version is read from the installed package instead.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


@definitions
def resources() -> Definitions:
    """The resources every definition uses (found by the defs-folder loader, pipelines/definitions.py)."""
    # The locations are EnvVars (the UI shows where they come from; the Makefile and the CLI set them).
    # The tuning fields stay unset: they have defaults, which an EnvVar cannot express.
    warehouse = WarehouseResource(inbox=EnvVar(ENV_VARS["inbox"]), home=EnvVar(ENV_VARS["home"]))
    dbt = OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    return Definitions(resources={"warehouse": warehouse, "dbt": dbt})
