"""The Dagster code location: every asset, check, job, schedule, sensor and resource under
pipelines/defs, found by Dagster's defs-folder loader (`[tool.dg]` in pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

from dagster.components import load_from_defs_folder

defs = load_from_defs_folder(path_within_project=Path(__file__).parent)
