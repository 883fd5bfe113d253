"""Resources: where the warehouse lives (from the environment) and the dbt CLI."""

import importlib.metadata
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from pipelines.core.lock import exclusive_run
from pipelines.settings import DBT_PROJECT_DIR, Settings, settings_from_env

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# The dbt installed beside this interpreter, so runs work whether or not the venv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


class WarehouseResource(ConfigurableResource):
    """Paths of the inbox and of RW_HOME, extraction workers; unset fields fall back to RW_INBOX / RW_HOME /
    RW_WORKERS.

    Every step of a run uses this resource, and the in-process executor sets it up once before the
    first step and tears it down after the last, so holding the RW_HOME lock here makes runs
    launched from the Dagster UI, a schedule or a sensor exclusive like command-line runs: a second
    run fails at start with "another run is in progress" instead of writing the same files.
    """

    inbox: str | None = None
    home: str | None = None
    workers: int | None = None  # extraction processes; RW_WORKERS, else every core

    def settings(self) -> Settings:
        settings = settings_from_env(self.inbox, self.home, self.workers)
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


def build_resources() -> dict:
    """The resources every definition uses."""
    return {"warehouse": WarehouseResource(),
            "dbt": OfflineDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)}
