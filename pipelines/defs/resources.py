"""Resources: where the warehouse lives (from the environment) and the dbt CLI."""

import sys
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject

from pipelines.settings import DBT_PROJECT_DIR, Settings, settings_from_env

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# The dbt installed beside this interpreter, so runs work whether or not the venv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


class WarehouseResource(ConfigurableResource):
    """Paths of the inbox and of RW_HOME; unset fields fall back to RW_INBOX / RW_HOME."""

    inbox: str | None = None
    home: str | None = None

    def settings(self) -> Settings:
        settings = settings_from_env(self.inbox, self.home)
        settings.ensure_dirs()
        return settings


def build_resources() -> dict:
    """The resources every definition uses."""
    return {"warehouse": WarehouseResource(), "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)}
