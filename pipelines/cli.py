"""`research-warehouse`: run the pipeline in-process and manage the quarantine from a shell."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from pipelines.core.lock import RunInProgress, exclusive_run
from pipelines.settings import Settings, settings_from_env

PUBLISHED_KEY = ("warehouse", "research_duckdb")


def _apply_locations(args: argparse.Namespace) -> Settings:
    """Flags override RW_INBOX/RW_HOME; the environment is what every part of the code reads."""
    if getattr(args, "inbox", None):
        os.environ["RW_INBOX"] = str(args.inbox)
    if args.home:
        os.environ["RW_HOME"] = str(args.home)
    settings = settings_from_env()
    os.environ["RW_INBOX"], os.environ["RW_HOME"] = str(settings.inbox), str(settings.home)
    return settings


def _step_failure(result) -> str:
    """The first failed step and its user-code error, or that publishing was skipped."""
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:  # the user code's own error
                error = error.cause
            message = error.message.strip().splitlines()[0] if error else "unknown error"
            return f"step {event.step_key} failed: {message}"
    return "the publish step did not run"


def run(args: argparse.Namespace) -> int:
    """Execute the warehouse job in-process and print what happened; refuse if a run is in progress."""
    settings = _apply_locations(args)
    settings.ensure_dirs()
    # The lock is taken before Dagster is even imported, so a second run is refused at once.
    return _exclusively(settings, lambda: _run_job(settings, args))


def _exclusively(settings: Settings, action: Callable[[], int]) -> int:
    """`action()` while holding the RW_HOME lock, or a clear refusal (exit status 3)."""
    try:
        with exclusive_run(settings.lock_file):
            return action()
    except RunInProgress as refused:
        print(f"refused: {refused}", file=sys.stderr)
        return 3


def _run_job(settings: Settings, args: argparse.Namespace) -> int:
    from dagster import AssetKey, DagsterInstance

    from pipelines.core import runs
    from pipelines.definitions import defs

    job = defs.resolve_job_def("research_warehouse")
    # A full refresh rebuilds even when nothing is new.
    run_config = {"ops": {"warehouse_models": {"config": {"full_refresh": args.full_refresh}},
                          "landing__received_files": {"config": {"rebuild": args.full_refresh}}},
                  # Step-by-step debug events belong in the UI; the shell gets warnings and the summary.
                  "loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    instance = DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()
    result = job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False)
    published = any(event.asset_key == AssetKey(list(PUBLISHED_KEY))
                    for event in result.get_asset_materialization_events())
    record = runs.run_record(settings.build_db, result.run_id) if settings.build_db.exists() else None
    if record is not None and runs.is_open(record):
        runs.close_unpublished(settings.build_db, settings.data_docs_dir, result.run_id,
                               otherwise=_step_failure(result))
        record = runs.run_record(settings.build_db, result.run_id)
    _print_summary(settings, result.run_id, record)
    return 0 if published or (record is not None and record["outcome"] == runs.NOTHING_NEW) else 1


def _print_summary(settings: Settings, run_id: str, record: dict | None) -> None:
    from pipelines.core import data_docs, runs
    from pipelines.core.build_db import connect

    print(f"run {run_id}")
    if record is None:
        print("not published: the run failed before it was recorded")
        return
    with connect(settings.build_db, read_only=True) as con:
        counts = dict(con.execute("select status, count(*) from audit.files where run_id = ? group by 1",
                                  [run_id]).fetchall())
    print(f"files received:    {record['files_received'] or 0}")
    for status in ("loaded", "duplicate", "quarantined"):
        print(f"  {status + ':':16} {counts.get(status, 0)}")
    print(f"reports loaded:    {record['reports_loaded'] or 0}")
    docs = data_docs.site_index(settings.data_docs_dir, run_id)
    if docs.exists():
        print(f"data docs:         {docs}")
    if record["published"]:
        print(f"published:         yes → {settings.warehouse_db}")
    elif record["outcome"] == runs.NOTHING_NEW:
        print(f"published:         unchanged ({record['outcome']}) → {settings.warehouse_db}")
    else:
        print(f"published:         no ({record['outcome']})")
        print(f"warehouse:         {settings.warehouse_db} (previous version left in place)")


def quarantine(args: argparse.Namespace) -> int:
    """List quarantined files and rows held aside, or send their reports back through the current extractor."""
    settings = _apply_locations(args)
    from pipelines.core import build_db

    if not settings.build_db.exists():
        print("no runs yet: nothing is quarantined")
        return 0
    if args.action == "list":
        files = build_db.quarantined_files(settings.build_db)
        print(f"quarantined files (whole report held back): {len(files)}")
        for source_file, reason, received_at in files:
            print(f"  {received_at:%Y-%m-%d %H:%M:%S}  {source_file!r}  {reason}")
        rows = build_db.quarantined_rows(settings.build_db)
        print(f"quarantined rows (the rest of their report loaded): {len(rows)}")
        for source_file, report_id, table_name, expectation, reason, row_json, loaded_at in rows:
            print(f"  {loaded_at:%Y-%m-%d %H:%M:%S}  {source_file!r} (report {report_id})  {table_name}  "
                  f"{expectation} ({reason})")
            print(f"    row: {row_json[:200]}{'…' if len(row_json) > 200 else ''}")
        return 0

    def retry() -> int:
        files, reports = build_db.requeue_quarantined(settings.build_db)
        print(f"{files} quarantined file(s) and {reports} report(s) with quarantined rows queued for "
              "extraction; re-running the pipeline")
        args.full_refresh = False
        return run(args)

    # Queueing and the run hold the lock together, so no other run picks up the queued files first.
    return _exclusively(settings, retry)


def reextract(args: argparse.Namespace) -> int:
    """Re-extract every landed report with the current extractor, then rebuild and publish."""
    settings = _apply_locations(args)
    from pipelines.core import build_db

    def requeue_and_run() -> int:
        if settings.build_db.exists():
            print(f"{build_db.requeue_all(settings.build_db)} report file(s) queued for re-extraction")
        return run(args)

    return _exclusively(settings, requeue_and_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="research-warehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="receive the inbox, build, validate and publish")
    run_parser.add_argument("--inbox", help="folder of incoming reports (default $RW_INBOX or data/inbox)")
    run_parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental dbt models")
    run_parser.set_defaults(handler=run)
    quarantine_parser = commands.add_parser("quarantine", help="list or retry quarantined files and rows")
    quarantine_parser.add_argument("action", choices=["list", "retry"])
    quarantine_parser.set_defaults(handler=quarantine, full_refresh=False)
    reextract_parser = commands.add_parser("reextract", help="re-extract every report with this extractor")
    reextract_parser.set_defaults(handler=reextract, full_refresh=True)
    for sub in (run_parser, quarantine_parser, reextract_parser):
        sub.add_argument("--home", help="warehouse home (default $RW_HOME or var)")
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
