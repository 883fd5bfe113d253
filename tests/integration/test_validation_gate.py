"""Write-audit-publish: blocking failures keep the old warehouse, row failures quarantine one report."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

import duckdb
import pytest

from pipelines import cli
from pipelines.settings import EXPECTATIONS_DIR
from tests.conftest import GOLD, SAMPLES, SEED_REPORT
from tests.integration.conftest import copy_reports, run_pipeline

pytestmark = pytest.mark.integration


def suites_with(tmp_path: Path, suite: str, edit) -> Path:
    """A copy of the reviewed suites with one suite changed by `edit(suite_json)`."""
    root = shutil.copytree(EXPECTATIONS_DIR, tmp_path / f"expectations-{uuid.uuid4().hex[:6]}",
                           ignore=shutil.ignore_patterns("uncommitted"))
    path = root / "expectations" / f"{suite}.json"
    reviewed = json.loads(path.read_text(encoding="utf-8"))
    edit(reviewed)
    path.write_text(json.dumps(reviewed), encoding="utf-8")
    return root


def build_query(home: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(home / "build" / "research.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_blocking_failure_keeps_the_published_file_and_names_the_expectation(tmp_path, monkeypatch):
    inbox, home = copy_reports([SAMPLES / SEED_REPORT], tmp_path / "inbox"), tmp_path / "home"
    first = run_pipeline(inbox, home)
    assert first.exit_code == 0, first.output
    published_before = sha(first.warehouse)

    def at_most_five_claims(suite):
        suite["expectations"].append({
            "id": str(uuid.uuid4()), "type": "expect_table_row_count_to_be_between", "kwargs": {"max_value": 5},
            "meta": {"blocking": True, "level": "batch", "why": "injected by a test"}, "severity": "critical"})

    monkeypatch.setenv("RW_EXPECTATIONS_DIR", str(suites_with(tmp_path, "marts_fct_claim", at_most_five_claims)))
    copy_reports([SAMPLES / "a04_guangfa_qiche_20241118.txt"], inbox)
    blocked = run_pipeline(inbox, home)

    assert blocked.exit_code != 0
    assert "published:         no" in blocked.output
    assert "marts_fct_claim: expect_table_row_count_to_be_between()" in blocked.output
    assert sha(blocked.warehouse) == published_before
    assert blocked.query("select count(*) from marts.dim_report") == [(1,)]
    [(published, outcome)] = build_query(home, "select published, outcome from audit.runs order by started_at desc limit 1")
    assert not published and "marts_fct_claim: expect_table_row_count_to_be_between()" in outcome
    assert build_query(home, """select table_name, success, blocking from audit.validations
                                where expectation = 'expect_table_row_count_to_be_between()' and not success
                                  and run_id = (select run_id from audit.runs order by started_at desc limit 1)""") \
        == [("marts.fct_claim", False, True)]
    assert len(list((home / "data_docs").glob("*/site/index.html"))) == 2  # one site per run


def test_row_failure_quarantines_only_that_report_and_retry_reprocesses(tmp_path, monkeypatch):
    strict_page_limit = 20
    good = ["a04_guangfa_qiche_20241118.txt", "a05_guotaijunan_dianlishebei_20250120.txt",
            "a01_dongwu_jisuanji_20250225.txt", SEED_REPORT]
    inbox = copy_reports([SAMPLES / name for name in good], tmp_path / "inbox")
    # A report whose citation is no page of any report: a row-level failure under any suites.
    broken = (SAMPLES / "a06_zhaoshang_dianlishebei_20240722.txt").read_bytes().replace(b"[1]", b"[777]", 1)
    (inbox / "broken pages.txt").write_bytes(broken)

    def strict_pages(suite):
        for expectation in suite["expectations"]:
            if expectation["kwargs"].get("column") == "cited_pages_max":
                expectation["kwargs"]["max_value"] = strict_page_limit

    monkeypatch.setenv("RW_EXPECTATIONS_DIR", str(suites_with(tmp_path, "raw_claims", strict_pages)))
    home = tmp_path / "home"
    first = run_pipeline(inbox, home)

    def max_gold_claim_page(name: str) -> int:
        gold = json.loads((GOLD / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
        return max(page for claim in gold["claims"] for page in claim["pages"])

    expected_quarantine = {name for name in good if max_gold_claim_page(name) > strict_page_limit} | {"broken pages.txt"}
    assert first.exit_code == 0, first.output
    quarantined = dict(first.query("select source_file, reason from audit.files where status = 'quarantined'"))
    assert set(quarantined) == expected_quarantine
    for name, reason in quarantined.items():
        failed = "expect_column_values_to_be_between(cited_pages_max)"
        assert failed in reason and (name == "broken pages.txt" or f"raw_claims: {failed}" in reason)
    loaded = {f for (f,) in first.query("select source_file from marts.dim_report")}
    assert loaded == set(good) - expected_quarantine

    monkeypatch.delenv("RW_EXPECTATIONS_DIR")
    monkeypatch.setenv("RW_SETTLE_SECONDS", "0")
    monkeypatch.setenv("RW_INBOX", str(inbox))
    monkeypatch.setenv("RW_HOME", str(home))
    assert cli.main(["quarantine", "retry", "--home", str(home)]) == 0
    with duckdb.connect(str(home / "warehouse" / "research.duckdb"), read_only=True) as con:
        statuses = dict(con.execute("select source_file, status from audit.files").fetchall())
    assert statuses == {**{name: "loaded" for name in good}, "broken pages.txt": "quarantined"}


def test_quarantine_list_prints_file_reason_and_time(tmp_path, capsys, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    run = run_pipeline(inbox, tmp_path / "home")
    assert run.exit_code == 0, run.output
    monkeypatch.setenv("RW_HOME", str(tmp_path / "home"))  # the CLI exports its locations
    assert cli.main(["quarantine", "list", "--home", str(tmp_path / "home")]) == 0
    out = capsys.readouterr().out
    assert "'empty.txt'" in out and "1 quarantined file(s)" in out
    [(reason,)] = run.query("select reason from audit.files")
    assert reason and reason in out
