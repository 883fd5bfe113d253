"""How dbt nodes map to Dagster asset keys: `<schema>/<name>`, so marts read as marts/fct_claim."""

from collections.abc import Mapping
from typing import Any

from dagster import AssetCheckSpec, AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Models, seeds and snapshots keyed by schema; sources keep `<source>/<table>` (raw/claims)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "transform"

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> AssetCheckSpec | None:
        """dbt's test as a check, described in one line by what it tests (the UI shows no name alone)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        test = manifest["nodes"][unique_id]
        metadata = test.get("test_metadata") or {}
        column = metadata.get("kwargs", {}).get("column_name") or test.get("column_name")
        on = f"{asset_spec.key.path[-1]}.{column}" if column else asset_spec.key.path[-1]
        return spec._replace(description=f"dbt test {metadata.get('name', test['name'])} on {on}.")
