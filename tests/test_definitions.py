"""Every Dagster definition loads: the code location the UI and the daemon read."""

from __future__ import annotations

import subprocess
import sys

from dagster import AssetKey, Definitions

from pipelines.definitions import defs
from pipelines.defs.validate.checks import CONTRACT_MARTS
from tests.conftest import REPO_ROOT


def test_definitions_are_loadable():
    Definitions.validate_loadable(defs)


def test_graph_runs_from_inbox_to_published_warehouse():
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for mart in CONTRACT_MARTS:
        assert AssetKey(["marts", mart]) in keys
    ancestors = graph.get_ancestor_asset_keys(AssetKey(["warehouse", "research_duckdb"]))
    assert {AssetKey(["marts", "fct_claim"]), AssetKey(["raw", "claims"]), AssetKey(["audit", "files"])} <= ancestors


def test_dbt_tests_are_asset_checks_on_the_marts_and_no_test_is_on_a_source():
    """dbt owns the marts' keys, grain, relationships and vocabularies: each test is a check of its
    mart, and no source test is run that Dagster could only log as an observation (with a warning)."""
    graph = defs.resolve_asset_graph()
    checks = {(key.asset_key, key.name) for key in graph.asset_check_keys}
    assert (AssetKey(["marts", "fct_rating"]), "unique_fct_rating_report_id") in checks
    assert (AssetKey(["marts", "dim_broker"]), "unique_dim_broker_broker_id") in checks
    assert {name for key, name in checks if key == AssetKey(["marts", "fct_claim"])} >= {
        "unique_combination_fct_claim_report_id__claim_seq",
        "gx_marts_fct_claim",
    }
    assert not [name for key, name in checks if name.startswith("source_")]


def test_job_schedule_and_sensors_are_defined():
    job = defs.resolve_job_def("research_warehouse")
    assert job.executor_def.name == "in_process"
    schedule = defs.resolve_schedule_def("nightly_warehouse")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "research_warehouse"


def test_workspace_validates_with_the_dagster_cli():
    result = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
