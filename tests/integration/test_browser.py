"""A new user's first hour in a real browser: `dagster dev` on a fresh RW_HOME, "Materialize all" clicked in
the UI, the run succeeds, and the run's Data Docs, opened from the link in its metadata, render styled
with no request leaving the machine.

Needs Debian's `chromium` (`.ci/run` installs it); skipped where it is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

from pipelines.core import data_docs
from tests.conftest import REPO_ROOT, SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"),
]

RUN_TIMEOUT_SECONDS = 600
SAMPLE_REPORTS = 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@pytest.fixture
def dagster_ui(tmp_path: Path):
    """`dagster dev` on 127.0.0.1 with a fresh RW_HOME and DAGSTER_HOME and an empty inbox (so the inbox
    sensor starts nothing before the UI does); stopped (its whole process group) afterwards."""
    home, inbox, dagster_home = tmp_path / "home", tmp_path / "inbox", tmp_path / "dagster"
    inbox.mkdir()
    dagster_home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    port, docs_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "RW_HOME": str(home),
        "RW_INBOX": str(inbox),
        "DAGSTER_HOME": str(dagster_home),
        "RW_SETTLE_SECONDS": "0",
        "RW_WORKERS": "1",
        "RW_DOCS_PORT": str(docs_port),
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }
    log = (tmp_path / "dagster-dev.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster"),
            "dev",
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/server_info", timeout=180)
        yield f"http://127.0.0.1:{port}", home, inbox, dagster_home
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _finished_ui_run(dagster_home: Path, timeout: float):
    """The run launched from the UI (not by the inbox sensor) once it has finished."""
    from dagster import DagsterInstance, DagsterRunStatus

    deadline = time.monotonic() + timeout
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        while time.monotonic() < deadline:
            launched = [run for run in instance.get_runs() if "dagster/sensor_name" not in run.tags]
            if launched and launched[-1].status in (
                DagsterRunStatus.SUCCESS,
                DagsterRunStatus.FAILURE,
                DagsterRunStatus.CANCELED,
            ):
                return launched[-1]
            time.sleep(3)
    raise TimeoutError(f"the run launched from the UI did not finish within {timeout:.0f} s")


def _data_docs_link(dagster_home: Path, run_id: str) -> str:
    """The Data Docs URL the publish step put in its metadata (what the UI shows as a link)."""
    from dagster import AssetKey, DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        materialization = instance.get_latest_materialization_event(AssetKey(["warehouse", "research_duckdb"]))
    assert materialization is not None and materialization.run_id == run_id
    return materialization.asset_materialization.metadata["data_docs"].value


def test_materialize_all_from_the_ui_then_read_the_data_docs_offline(dagster_ui) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    ui, home, inbox, dagster_home = dagster_ui
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{ui}/locations/research_warehouse/jobs/research_warehouse", timeout=120_000)
            materialize_all = page.get_by_role("button", name="Materialize all")
            materialize_all.wait_for(timeout=120_000)
            with contextlib.suppress(PlaywrightTimeout):  # the UI's first-visit newsletter dialog
                page.get_by_role("button", name="Skip").click(timeout=10_000)
            materialize_all.click(timeout=60_000)
            # The reports arrive as the run is queued: the inbox sensor (every 60 s) finds nothing new.
            for sample in sorted(SAMPLES.glob("*.txt"))[:SAMPLE_REPORTS]:
                shutil.copy(sample, inbox / sample.name)
            run = _finished_ui_run(dagster_home, RUN_TIMEOUT_SECONDS)
            assert run.status.value == "SUCCESS", f"run {run.run_id} ended {run.status.value}"

            link = _data_docs_link(dagster_home, run.run_id)
            assert urlparse(link).hostname == "127.0.0.1"
            server = data_docs.server(home / "data_docs", urlparse(link).port)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                requested: list[str] = []
                docs = browser.new_page()
                docs.on("request", lambda request: requested.append(request.url))
                # Anything not served by this machine is refused, so it could not have styled the page.
                docs.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", None), lambda route: route.abort())
                response = docs.goto(link)
                assert response is not None and response.ok
                docs.wait_for_load_state("networkidle")
                stylesheets = docs.evaluate("""() => [...document.styleSheets]
                    .filter(sheet => sheet.href && sheet.cssRules.length > 0).map(sheet => sheet.href)""")
                navbar_display = docs.evaluate("() => getComputedStyle(document.querySelector('.navbar')).display")
            finally:
                server.shutdown()
                server.server_close()
        finally:
            browser.close()
    assert any(href.endswith("bootstrap.min.css") for href in stylesheets), stylesheets
    assert navbar_display == "flex"  # Bootstrap's navbar, not an unstyled block
    off_machine = [url for url in requested if urlparse(url).hostname not in ("127.0.0.1", None)]
    assert off_machine == []
    with duckdb.connect(str(home / "warehouse" / "research.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_report").fetchone()[0] == SAMPLE_REPORTS
