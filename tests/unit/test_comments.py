"""Comments for BI tools: a model's YAML description first, then the glossary, then the same column elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from pipelines.core import comments


def _node(schema: str, name: str, description: str, columns: dict[str, str], resource_type: str = "model") -> dict:
    return {
        "unique_id": f"{resource_type}.p.{name}",
        "resource_type": resource_type,
        "schema": schema,
        "name": name,
        "alias": name,
        "description": description,
        "columns": {column: {"description": text} for column, text in columns.items()},
    }


def test_descriptions_come_from_the_yaml_then_the_glossary_then_the_same_column_elsewhere(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    "a": _node("marts", "fct_x", "Facts.", {"x_id": "The key.", "value": ""}),
                    "b": _node("marts", "dim_y", "Things.", {"value": "A value in base units."}),
                    "t": _node("marts", "some_test", "", {}, resource_type="test"),
                },
                "sources": {},
                "docs": {
                    "d1": {"name": "column__loaded_at", "block_contents": "When it was\n   loaded."},
                    "d2": {"name": "table__audit_runs", "block_contents": "Every run."},
                    "d3": {"name": "not_a_glossary_entry", "block_contents": "ignored"},
                },
            }
        ),
        encoding="utf-8",
    )
    descriptions = comments.from_manifest(manifest)
    assert descriptions.column("marts", "fct_x", "x_id") == "The key."
    assert descriptions.column("marts", "fct_x", "value") == "A value in base units."
    assert descriptions.column("marts", "fct_x", "loaded_at") == "When it was loaded."
    assert descriptions.column("marts", "fct_x", "unknown") == ""
    assert descriptions.table("marts", "fct_x") == "Facts."
    assert descriptions.table("audit", "runs") == "Every run."


def test_comments_are_written_on_tables_and_columns_and_gaps_reported() -> None:
    descriptions = comments.Descriptions(
        tables={("marts", "t"): "It's a table."}, columns={("marts", "t"): {"a": "Column a."}}
    )
    with duckdb.connect() as con:
        con.execute("attach ':memory:' as published")
        con.execute("create schema published.marts")
        con.execute("create table published.marts.t (a int, b int)")
        undescribed = comments.write_comments(con, "published", ("marts",), descriptions)
        assert undescribed == ["marts.t.b"]
        assert con.execute("select comment from duckdb_tables() where database_name = 'published'").fetchall() == [
            ("It's a table.",)
        ]
        assert con.execute("""select column_name, comment from duckdb_columns()
                              where database_name = 'published' order by 1""").fetchall() == [
            ("a", "Column a."),
            ("b", ""),
        ]
