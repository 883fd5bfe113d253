"""The run record in `audit.runs`: opened when a run starts receiving, closed when it ends."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipelines.core.build_db import connect
from pipelines.core.landing import LOADED, QUARANTINED


INTERRUPTED = "interrupted: the run stopped before it finished (killed or crashed); it published nothing"


def open_run(build_db: Path, run_id: str, started_at: datetime, extractor_version: str) -> None:
    """Record that a run started, and close the records of runs that were killed before they ended.

    The caller holds the run lock, so any other run still marked `running` is no longer running.
    """
    with connect(build_db) as con:
        con.execute("update audit.runs set outcome = ? where outcome = 'running' and run_id <> ?",
                    [INTERRUPTED, run_id])
        con.execute("""
            insert into audit.runs (run_id, started_at, published, extractor_version, outcome)
            values (?, ?, false, ?, 'running') on conflict (run_id) do nothing""",
                    [run_id, started_at, extractor_version])


def close_run(build_db: Path, run_id: str, finished_at: datetime, *, published: bool, outcome: str) -> None:
    """Fill in the run's counts and outcome (`published`, or why not)."""
    with connect(build_db) as con:
        con.execute("""
            update audit.runs set finished_at = ?, published = ?, outcome = ?,
                files_received = (select count(*) from audit.files where run_id = ?),
                reports_loaded = (select count(distinct report_id) from audit.files
                                  where run_id = ? and status = ?),
                files_quarantined = (select count(*) from audit.files where run_id = ? and status = ?)
            where run_id = ?""",
                    [finished_at, published, outcome, run_id, run_id, LOADED, run_id, QUARANTINED, run_id])


def run_record(build_db: Path, run_id: str) -> dict | None:
    """The `audit.runs` row of one run, as a dict."""
    with connect(build_db, read_only=True) as con:
        cursor = con.execute("select * from audit.runs where run_id = ?", [run_id])
        row = cursor.fetchone()
        return None if row is None else dict(zip([d[0] for d in cursor.description], row))
