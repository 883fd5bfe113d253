"""Security: a whole run needs no network, nothing listens beyond localhost, and BI users read only."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO_ROOT
from tests.integration.reliability import attempts_log, fresh_bad_input_run, offline_env, offline_reextract_run

pytestmark = pytest.mark.integration


def test_the_network_guard_refuses_and_logs_a_connection(tmp_path) -> None:
    """The guard the offline run relies on does catch a connection (so an empty log means something)."""
    probe = "import socket; socket.create_connection(('pypi.org', 443), timeout=2)"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=offline_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "network unreachable (test guard)" in result.stderr
    assert "pypi.org" in attempts_log(tmp_path).read_text(encoding="utf-8")


def test_a_whole_run_publishes_without_network_and_tries_no_connection(tmp_path_factory) -> None:
    """`reextract` runs every stage (extract, load, dbt, GX, publish) with the telemetry switches unset,
    under the socket guard and, where the machine allows it, in a network namespace with no network."""
    result, offline_root = offline_reextract_run(tmp_path_factory)
    assert result.exit_code == 0, result.output
    assert "published:         yes" in result.output
    assert attempts_log(offline_root).read_text(encoding="utf-8") == ""


def test_the_dagster_ui_binds_to_localhost_only() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    [dev] = [line for line in makefile.splitlines() if re.search(r"\bdagster dev\b", line)]
    assert re.search(r"(?:-h|--host)\s+127\.0\.0\.1\b", dev), dev
    for config in ("Makefile", "workspace.yaml", "dagster.yaml"):
        assert "0.0.0.0" not in (REPO_ROOT / config).read_text(encoding="utf-8"), config


def test_bi_connections_cannot_write_the_published_warehouse(tmp_path_factory) -> None:
    warehouse = fresh_bad_input_run(tmp_path_factory).result.warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for statement in (
            "create table marts.injected (x int)",
            "delete from marts.fct_claim",
            "update audit.files set status = 'loaded'",
            "drop table marts.dim_report",
        ):
            with pytest.raises(duckdb.Error, match="read-only"):
                con.execute(statement)
        assert con.execute("select count(*) from marts.dim_report").fetchone()[0] > 0
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(f"duckdb:///{warehouse}?access_mode=read_only")  # as the README says
    with engine.connect() as con, pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
        con.execute(sqlalchemy.text("delete from marts.fct_claim"))
    engine.dispose()
