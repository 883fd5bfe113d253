"""The run record in `audit.runs`: opened when a run starts receiving, closed when it ends."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from pipelines.core import data_docs
from pipelines.core.build_db import connect, pending_extraction
from pipelines.core.landing import LOADED, QUARANTINED
from pipelines.core.publish import PUBLISHED
from pipelines.core.validation_audit import failed_blocking_expectations

RUNNING = "running"
PUBLISHING = "publishing"  # checks passed, the warehouse file is being replaced
# A run that found nothing to do: no new file, nothing to re-extract, the same code as the published build.
NOTHING_NEW = "nothing new: the published warehouse is current"

INTERRUPTED = "interrupted: the run stopped before it finished (killed or crashed); it published nothing"


def _published_run_ids(warehouse_db: Path) -> list[str]:
    """Runs the published warehouse file says it was produced by."""
    if not warehouse_db.exists():
        return []
    with connect(warehouse_db, read_only=True) as con:
        return [run_id for (run_id,) in con.execute("select run_id from audit.runs where published").fetchall()]


def code_fingerprint(manifest_path: Path, suites_dir: Path, extractor_version: str) -> str:
    """A hash of everything besides the data that decides what a build publishes: the extractor version,
    the dbt project (each node's checksum and config, the project's macros) and the GX suites."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(extractor_version.encode())
    for unique_id, node in sorted(manifest["nodes"].items()):
        digest.update(
            json.dumps([unique_id, node.get("checksum"), node.get("config")], sort_keys=True, default=str).encode()
        )
    for unique_id, macro in sorted(manifest["macros"].items()):
        if macro.get("package_name") == manifest["metadata"].get("project_name"):
            digest.update(f"{unique_id}\0{macro.get('macro_sql')}".encode())
    for suite in sorted(suites_dir.glob("*.json")):
        digest.update(suite.name.encode() + suite.read_bytes())
    return digest.hexdigest()


def warehouse_is_current(
    build_db: Path, warehouse_db: Path, run_id: str, fingerprint: str, extractor_version: str
) -> bool:
    """True when this run has nothing to build: the published warehouse was built from the same code, and
    since the run that published it no file was received (this run included) and none awaits extraction."""
    if not warehouse_db.exists():
        return False
    with connect(build_db, read_only=True) as con:
        last = con.execute("""select started_at, code_fingerprint from audit.runs where published
                              order by started_at desc limit 1""").fetchone()
        if last is None or last[1] != fingerprint:
            return False
        received_since = con.execute(
            """
            select count(*) from audit.files f join audit.runs r using (run_id)
            where r.started_at > ? or r.run_id = ?""",
            [last[0], run_id],
        ).fetchone()[0]
    return received_since == 0 and not pending_extraction(build_db, extractor_version)


def code_changed_since_published(build_db: Path, run_id: str) -> bool:
    """Whether this run's code differs from that of the last published build (False before any)."""
    with connect(build_db, read_only=True) as con:
        last = con.execute(
            "select code_fingerprint from audit.runs where published order by started_at desc limit 1"
        ).fetchone()
        this = con.execute("select code_fingerprint from audit.runs where run_id = ?", [run_id]).fetchone()
    return last is not None and this is not None and last[0] != this[0]


def is_open(record: dict) -> bool:
    """The run has not been closed with an outcome (or was closed while publishing)."""
    return record["outcome"] in (RUNNING, PUBLISHING)


def open_run(
    build_db: Path,
    run_id: str,
    started_at: datetime,
    extractor_version: str,
    warehouse_db: Path,
    fingerprint: str | None = None,
) -> None:
    """Record that a run started, and close the records of runs that were killed before they ended.

    The caller holds the run lock, so any other run still marked `running` is no longer running, and
    one killed while `publishing` published exactly if the warehouse file names it.
    """
    published = _published_run_ids(warehouse_db)
    with connect(build_db) as con:
        con.execute(
            "update audit.runs set published = true, outcome = ? where outcome = ? and run_id in ?",
            [PUBLISHED, PUBLISHING, published or [""]],
        )
        con.execute(
            "update audit.runs set outcome = ? where outcome in (?, ?) and run_id <> ?",
            [INTERRUPTED, RUNNING, PUBLISHING, run_id],
        )
        con.execute(
            """
            insert into audit.runs (run_id, started_at, published, extractor_version, outcome, code_fingerprint)
            values (?, ?, false, ?, ?, ?) on conflict (run_id) do nothing""",
            [run_id, started_at, extractor_version, RUNNING, fingerprint],
        )


def close_run(build_db: Path, run_id: str, finished_at: datetime, *, published: bool, outcome: str) -> None:
    """Fill in the run's counts and outcome (`published`, or why not)."""
    with connect(build_db) as con:
        con.execute(
            """
            update audit.runs set finished_at = ?, published = ?, outcome = ?,
                files_received = (select count(*) from audit.files where run_id = ?),
                reports_loaded = (select count(distinct report_id) from audit.files
                                  where run_id = ? and status = ?),
                files_quarantined = (select count(*) from audit.files where run_id = ? and status = ?),
                rows_quarantined = (select count(*) from audit.quarantined_rows where loaded_at >= (
                                        select started_at from audit.runs where run_id = ?))
            where run_id = ?""",
            [finished_at, published, outcome, run_id, run_id, LOADED, run_id, QUARANTINED, run_id, run_id],
        )


def close_unpublished(build_db: Path, data_docs_dir: Path, run_id: str, *, otherwise: str) -> str:
    """Close a run that published nothing: render its Data Docs and record why, naming the failed
    blocking expectations when there are any, else `otherwise`. Returns the recorded outcome."""
    data_docs.build_run_site(data_docs_dir, run_id)
    failed = failed_blocking_expectations(build_db, run_id)
    reason = "blocking check failed: " + "; ".join(failed) if failed else otherwise
    outcome = f"not published: {reason}"
    close_run(build_db, run_id, datetime.now(), published=False, outcome=outcome)
    return outcome


def mark_published(build_db: Path, run_id: str) -> None:
    """The warehouse file of this run is in place."""
    with connect(build_db) as con:
        con.execute("update audit.runs set published = true, outcome = ? where run_id = ?", [PUBLISHED, run_id])


def run_record(build_db: Path, run_id: str) -> dict | None:
    """The `audit.runs` row of one run, as a dict."""
    with connect(build_db, read_only=True) as con:
        cursor = con.execute("select * from audit.runs where run_id = ?", [run_id])
        row = cursor.fetchone()
        return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=False))
