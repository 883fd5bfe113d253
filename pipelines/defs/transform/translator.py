"""How dbt nodes map to Dagster asset keys: `<schema>/<name>`, so marts read as marts/fct_claim."""

from collections.abc import Mapping
from typing import Any

from dagster import AssetKey
from dagster_dbt import DagsterDbtTranslator


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Models, seeds and snapshots keyed by schema; sources keep `<source>/<table>` (raw/claims)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "transform"
