"""Table and column descriptions for BI tools, written into the published DuckDB file as comments.

The dbt project owns every description: a model's (or source's) YAML; else the glossary doc block
`column__<name>` (`dbt_project/models/_glossary.md`) for a column that means the same everywhere; else,
for a column passed on from another table (value, unit, ...), its description where it is described
(marts dimensions first).
`table__<schema>_<name>` describes a published table dbt does not build (audit.runs, audit.validations).
BI tools read them as `duckdb_tables().comment` / `duckdb_columns().comment`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Descriptions:
    tables: dict[tuple[str, str], str] = field(default_factory=dict)
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    elsewhere: dict[str, str] = field(default_factory=dict)  # column -> its description in another table

    def table(self, schema: str, table: str) -> str:
        return self.tables.get((schema, table)) or self.glossary.get(f"table__{schema}_{table}", "")

    def column(self, schema: str, table: str, column: str) -> str:
        return (
            self.columns.get((schema, table), {}).get(column)
            or self.glossary.get(f"column__{column}")
            or self.elsewhere.get(column, "")
        )


def from_manifest(manifest_path: Path) -> Descriptions:
    """The descriptions of every model, seed, snapshot and source of a dbt manifest, by relation."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    descriptions = Descriptions()
    nodes = [
        node
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        if node["resource_type"] in ("model", "seed", "snapshot", "source")
    ]
    # Where a column is first described: the marts (dimensions before facts), then everything else.
    nodes.sort(key=lambda node: (node["schema"] != "marts", not node["name"].startswith("dim_"), node["unique_id"]))
    for node in nodes:
        relation = (node["schema"], node.get("identifier") or node.get("alias") or node["name"])
        descriptions.tables[relation] = " ".join(node.get("description", "").split())
        descriptions.columns[relation] = {
            name: " ".join(column["description"].split())
            for name, column in node["columns"].items()
            if column.get("description")
        }
        for name, text in descriptions.columns[relation].items():
            descriptions.elsewhere.setdefault(name, text)
    for doc in manifest.get("docs", {}).values():
        if doc["name"].startswith(("column__", "table__")):
            descriptions.glossary[doc["name"]] = " ".join(doc["block_contents"].split())
    return descriptions


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_comments(
    con: duckdb.DuckDBPyConnection, catalog: str, schemas: tuple[str, ...], descriptions: Descriptions
) -> list[str]:
    """COMMENT ON every table and column of `schemas` in the attached `catalog`; returns the columns
    (schema.table.column) left without a description."""
    undescribed = []
    tables = con.execute(
        """select schema_name, table_name from duckdb_tables()
                            where database_name = ? and schema_name in ? order by 1, 2""",
        [catalog, list(schemas)],
    ).fetchall()
    for schema, table in tables:
        name = f'"{catalog}"."{schema}"."{table}"'
        con.execute(f"comment on table {name} is {_literal(descriptions.table(schema, table))}")
        for (column,) in con.execute(
            """select column_name from duckdb_columns()
                                        where database_name = ? and schema_name = ? and table_name = ?""",
            [catalog, schema, table],
        ).fetchall():
            text = descriptions.column(schema, table, column)
            if not text:
                undescribed.append(f"{schema}.{table}.{column}")
            con.execute(f'comment on column {name}."{column}" is {_literal(text)}')
    return undescribed
