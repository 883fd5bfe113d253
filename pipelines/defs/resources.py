"""Resources: where the warehouse lives (from the environment) and the dbt CLI."""

from __future__ import annotations

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject

from pipelines.settings import DBT_PROJECT_DIR, Settings, settings_from_env

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


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
    return {"warehouse": WarehouseResource(), "dbt": DbtCliResource(project_dir=dbt_project)}
