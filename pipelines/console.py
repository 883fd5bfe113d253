"""What `research-warehouse run` shows while the job runs: one line per stage with its time, and a
progress bar on the long stages when the output is a terminal (plain lines otherwise).

The lines come from the Dagster run's own events (step start, success, failure, materializations),
received by a logger attached to the job for the CLI's in-process run; extraction reports its
progress as it goes (`progress_message`).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# What each step of the job does, in the words of the summary.
STAGE_NAMES = {
    "landing__received_files": "receive inbox",
    "staging__extracted_batches": "extract reports",
    "raw_tables": "load raw tables",
    "warehouse_models": "dbt build",
    "warehouse__research_duckdb": "publish",
}
CHECKS = "validate"  # every other step is an asset check: one line for them all
_PROGRESS = re.compile(r"^progress: (\d+)/(\d+) (\w+)$")


def progress_message(done: int, total: int, unit: str) -> str:
    """A log message the CLI turns into its progress bar (`done` of `total` `unit`)."""
    return f"progress: {done}/{total} {unit}"


def stage_name(step_key: str) -> str:
    return STAGE_NAMES.get(step_key, step_key.replace("__", "/"))


@dataclass
class _Stage:
    started: float
    task: int | None = None
    materialized: int = 0


class RunProgress:
    """Renders the events of one run on `console`; `steps_total` counts the assets each step
    materializes (dbt: every model, seed and snapshot), which drives that step's bar."""

    def __init__(self, console: Console, steps_total: Mapping[str, int]):
        self.console = console
        self.steps_total = steps_total
        self.stages: dict[str, _Stage] = {}
        self.checks_passed = 0
        self.checks_failed: list[str] = []
        self.checks_seconds = 0.0
        self.progress = Progress(
            TextColumn("  {task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()
        self._checks_line()

    def _checks_line(self) -> None:
        """The check steps finished so far, as one line (before the next stage's, or at the end)."""
        if self.checks_passed or self.checks_failed:
            failed = f", failed: {', '.join(self.checks_failed)}" if self.checks_failed else ""
            self._line(CHECKS, self.checks_seconds, f"{self.checks_passed} check step(s) passed{failed}")
        self.checks_passed, self.checks_failed, self.checks_seconds = 0, [], 0.0

    def _line(self, name: str, seconds: float, note: str) -> None:
        self.console.print(f"{name + ':':<19}{seconds:6.1f} s  {note}", highlight=False)

    def handle(self, record: logging.LogRecord) -> None:
        """One Dagster log record of the run."""
        meta = getattr(record, "dagster_meta", None)
        step_key = meta.get("step_key") if meta else None
        if not step_key:
            return
        event = meta.get("dagster_event")
        if event is None:
            self._progress(step_key, meta.get("orig_message") or "")
        elif event.event_type_value == "STEP_START":
            self._start(step_key)
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            self._advance(step_key)
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            self._finish(step_key, failed=event.event_type_value == "STEP_FAILURE")

    def _start(self, step_key: str) -> None:
        if step_key in STAGE_NAMES:
            self._checks_line()
        stage = self.stages[step_key] = _Stage(time.monotonic())
        total = self.steps_total.get(step_key, 0)
        if total > 1:
            stage.task = self.progress.add_task(stage_name(step_key), total=total, unit="assets")

    def _bar(self, step_key: str, unit: str) -> tuple[_Stage, int] | None:
        stage = self.stages.get(step_key)
        if stage is None:
            return None
        if stage.task is None:
            stage.task = self.progress.add_task(stage_name(step_key), total=None, unit=unit)
        return stage, stage.task

    def _advance(self, step_key: str) -> None:
        bar = self._bar(step_key, "assets")
        if bar is not None:
            bar[0].materialized += 1
            self.progress.update(bar[1], completed=bar[0].materialized)

    def _progress(self, step_key: str, message: str) -> None:
        match = _PROGRESS.match(message)
        bar = self._bar(step_key, match[3]) if match else None
        if bar is not None:
            self.progress.update(bar[1], completed=int(match[1]), total=int(match[2]), unit=match[3])

    def _finish(self, step_key: str, *, failed: bool) -> None:
        stage = self.stages.pop(step_key, None)
        if stage is None:
            return
        if stage.task is not None:
            self.progress.remove_task(stage.task)
        seconds = time.monotonic() - stage.started
        if step_key not in STAGE_NAMES:
            self.checks_seconds += seconds
            if failed:
                self.checks_failed.append(stage_name(step_key))
            else:
                self.checks_passed += 1
            return
        self._line(stage_name(step_key), seconds, "failed" if failed else "done")


class ProgressHandler(logging.Handler):
    """A logging handler that hands Dagster's records to a `RunProgress`."""

    def __init__(self, run_progress: RunProgress):
        super().__init__(level=logging.DEBUG)
        self.run_progress = run_progress

    def emit(self, record: logging.LogRecord) -> None:
        self.run_progress.handle(record)
