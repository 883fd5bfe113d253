"""`research-warehouse`: run the pipeline in-process and manage the quarantine from a shell."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from pipelines.core.lock import RunInProgress, exclusive_run
from pipelines.settings import Settings, settings_from_env

PUBLISHED_KEY = ("warehouse", "research_duckdb")


def _locations(args: argparse.Namespace) -> Settings:
    """Flags override RW_INBOX/RW_HOME; the run gets them as the warehouse resource's config."""
    return settings_from_env(getattr(args, "inbox", None), args.home)


def _step_failure(result) -> str:
    """The first failed step and its user-code error, or that publishing was skipped."""
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            if data.user_failure_data is not None and data.user_failure_data.description:
                message = data.user_failure_data.description  # a Failure raised on purpose says why
            else:
                error = data.error
                while error is not None and error.cause is not None:  # the user code's own error
                    error = error.cause
                message = error.message.strip().splitlines()[0] if error else "unknown error"
            return f"step {event.step_key} failed: {message}"
    return "the publish step did not run"


def run(args: argparse.Namespace) -> int:
    """Execute the warehouse job in-process and print what happened; refuse if a run is in progress."""
    settings = _locations(args)
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


class _SkippedCheckNotice(logging.Filter):
    """Drops Dagster's "blocking asset check emitted no result" notice: in this graph a check emits no
    result only when its asset was not built (a run with nothing new), and then every step it gates is
    skipped as well, so nothing proceeds ungated and the notice only alarms."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result" not in record.getMessage()


def _run_job(settings: Settings, args: argparse.Namespace) -> int:
    from dagster import AssetKey, DagsterInstance, logger
    from rich.console import Console

    from pipelines.console import ProgressHandler, RunProgress
    from pipelines.core import publish, runs
    from pipelines.definitions import defs

    job = defs.resolve_job_def("research_warehouse")
    run_config = {
        "ops": {
            "warehouse_models": {
                "config": {"full_refresh": args.full_refresh, "use_colors": args.verbose and sys.stdout.isatty()}
            },
            "landing__received_files": {"config": {"rebuild": args.full_refresh}},
        },
        "resources": {"warehouse": {"config": {"inbox": str(settings.inbox), "home": str(settings.home)}}},
        # Step-by-step debug events belong in the UI; the shell gets warnings, stages and the summary.
        "loggers": {"console": {"config": {"log_level": "WARNING"}}, "progress": {}},
    }
    console = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    steps_total = {node.name: len(node.definition.output_defs) for node in job.graph.nodes}
    run_progress = RunProgress(console, steps_total)

    @logger(description="Stage lines and progress bars of `research-warehouse run`.")
    def progress_logger(_init_context):
        progress = logging.getLogger("research_warehouse.progress")
        progress.setLevel(logging.DEBUG)
        progress.propagate = False
        progress.handlers = [ProgressHandler(run_progress)]
        return progress

    job = job.with_logger_defs({**job.loggers, "progress": progress_logger})
    instance = DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()
    before = publish.warehouse_totals(settings.warehouse_db)
    # dbt's per-node log goes to stdout; a person reads it only when asking for it.
    quiet = contextlib.nullcontext() if args.verbose else contextlib.redirect_stdout(io.StringIO())
    plan_log, notice = logging.getLogger("dagster._core.execution.plan.active"), _SkippedCheckNotice()
    plan_log.addFilter(notice)
    try:
        with run_progress, quiet:
            result = job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False)
    finally:
        plan_log.removeFilter(notice)
    published = any(
        event.asset_key == AssetKey(list(PUBLISHED_KEY)) for event in result.get_asset_materialization_events()
    )
    record = runs.run_record(settings.build_db, result.run_id) if settings.build_db.exists() else None
    if record is not None and runs.is_open(record):
        runs.close_unpublished(
            settings.build_db, settings.data_docs_dir, result.run_id, otherwise=_step_failure(result)
        )
        record = runs.run_record(settings.build_db, result.run_id)
    _print_summary(console, settings, result, record, before)
    return 0 if published or (record is not None and record["outcome"] == runs.NOTHING_NEW) else 1


def _print_summary(console, settings: Settings, result, record: dict | None, before: dict[str, int]) -> None:
    """This run's files, the published warehouse's totals and their change since the previous publish."""
    from pipelines.core import data_docs, publish, runs
    from pipelines.core.build_db import connect

    def line(label: str, text: str) -> None:
        console.print(f"{label + ':':<19}{text}")

    line("run", result.run_id)
    if record is None:
        line("published", f"no ({_step_failure(result)})")
        return
    with connect(settings.build_db, read_only=True) as con:
        counts = dict(
            con.execute(
                "select status, count(*) from audit.files where run_id = ? group by 1", [result.run_id]
            ).fetchall()
        )
    line(
        "this run",
        f"{record['files_received'] or 0} file(s) received: "
        + ", ".join(f"{counts.get(status, 0)} {status}" for status in ("loaded", "duplicate", "quarantined"))
        + f"; {record['reports_loaded'] or 0} report(s) loaded"
        + (f"; {held} row(s) held aside (`quarantine list`)" if (held := record.get("rows_quarantined")) else ""),
    )
    after = publish.warehouse_totals(settings.warehouse_db)
    if after:
        files = ", ".join(
            f"{count:,} {name.removeprefix('files ')}" for name, count in after.items() if name.startswith("files ")
        )
        line("warehouse", ", ".join(f"{after[name]:,} {name}" for name in publish.TOTALS) + f"; files: {files}")
        change = {name: after[name] - before.get(name, 0) for name in publish.TOTALS}
        line(
            "change",
            (", ".join(f"{delta:+,} {name}" for name, delta in change.items()) if any(change.values()) else "none")
            + (" since the previous publish" if before else " (first publish)"),
        )
    docs = data_docs.site_index(settings.data_docs_dir, result.run_id)
    if docs.exists():
        line("data docs", f"{data_docs.site_url(result.run_id)} (served by `make docs`; file {docs})")
    if record["published"]:
        line("published", f"yes → {settings.warehouse_db}")
    elif record["outcome"] == runs.NOTHING_NEW:
        line("published", f"unchanged ({record['outcome']}) → {settings.warehouse_db}")
    else:
        line("published", f"no ({record['outcome']})")
        line("kept", f"{settings.warehouse_db} (the previous version)")


def quarantine(args: argparse.Namespace) -> int:
    """List quarantined files and rows held aside, or send their reports back through the current extractor."""
    settings = _locations(args)
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
            print(
                f"  {loaded_at:%Y-%m-%d %H:%M:%S}  {source_file!r} (report {report_id})  {table_name}  "
                f"{expectation} ({reason})"
            )
            print(f"    row: {row_json[:200]}{'…' if len(row_json) > 200 else ''}")
        return 0

    def retry() -> int:
        files, reports = build_db.requeue_quarantined(settings.build_db)
        print(
            f"{files} quarantined file(s) and {reports} report(s) with quarantined rows queued for "
            "extraction; re-running the pipeline"
        )
        args.full_refresh = False
        return run(args)

    # Queueing and the run hold the lock together, so no other run picks up the queued files first.
    return _exclusively(settings, retry)


def reextract(args: argparse.Namespace) -> int:
    """Re-extract every landed report with the current extractor, then rebuild and publish."""
    settings = _locations(args)
    from pipelines.core import build_db

    def requeue_and_run() -> int:
        if settings.build_db.exists():
            print(f"{build_db.requeue_all(settings.build_db)} report file(s) queued for re-extraction")
        return run(args)

    return _exclusively(settings, requeue_and_run)


def docs(args: argparse.Namespace) -> int:
    """Generate the dbt docs of the build database and serve them with every run's Data Docs on 127.0.0.1."""
    import subprocess

    from pipelines.core import data_docs
    from pipelines.settings import DBT_PROJECT_DIR

    settings = _locations(args)
    dbt_docs = settings.data_docs_dir / "dbt"
    if settings.build_db.exists():
        # dbt reads the build database; no run may write it meanwhile.
        def generate() -> int:
            return subprocess.run(
                [
                    str(Path(sys.executable).parent / "dbt"),
                    "docs",
                    "generate",
                    "--quiet",
                    "--no-use-colors",
                    "--profiles-dir",
                    ".",
                    "--target-path",
                    str(dbt_docs),
                    "--vars",
                    json.dumps({"build_db": str(settings.build_db)}),
                ],
                cwd=DBT_PROJECT_DIR,
            ).returncode

        if _exclusively(settings, generate) != 0:
            return 1
    port = args.port or data_docs.docs_port()
    httpd = data_docs.server(settings.data_docs_dir, port)
    newest = max(settings.data_docs_dir.glob("*/site/index.html"), key=lambda page: page.stat().st_mtime, default=None)
    print(f"serving on http://127.0.0.1:{port}/ (Ctrl-C stops)")
    if newest is not None:
        print(f"  latest Data Docs: http://127.0.0.1:{port}/{newest.relative_to(settings.data_docs_dir).as_posix()}")
    if (dbt_docs / "index.html").exists():
        print(f"  dbt docs:         http://127.0.0.1:{port}/dbt/index.html")
    else:
        print("  dbt docs:         none yet (they describe the build database: run the pipeline first)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="research-warehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="receive the inbox, build, validate and publish")
    run_parser.add_argument("--inbox", help="folder of incoming reports (default $RW_INBOX or data/inbox)")
    run_parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental dbt models")
    run_parser.add_argument("--verbose", action="store_true", help="also print dbt's log of every node")
    run_parser.set_defaults(handler=run)
    quarantine_parser = commands.add_parser("quarantine", help="list or retry quarantined files and rows")
    quarantine_parser.add_argument("action", choices=["list", "retry"])
    quarantine_parser.set_defaults(handler=quarantine, full_refresh=False, verbose=False)
    reextract_parser = commands.add_parser("reextract", help="re-extract every report with this extractor")
    reextract_parser.set_defaults(handler=reextract, full_refresh=True, verbose=False)
    docs_parser = commands.add_parser("docs", help="serve Data Docs and dbt docs on 127.0.0.1")
    docs_parser.add_argument("--port", type=int, help="port (default $RW_DOCS_PORT or 8580)")
    docs_parser.set_defaults(handler=docs)
    for sub in (run_parser, quarantine_parser, reextract_parser, docs_parser):
        sub.add_argument("--home", help="warehouse home (default $RW_HOME or var)")
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
