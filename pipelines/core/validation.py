"""Great Expectations validation of pipeline frames against the reviewed suites in `expectations/`.

The suites are the JSON files of the GX file context `expectations/` (one per table, named like
the table: `raw.claims` -> `raw_claims`). Every expectation's `meta` says whether it is
`blocking` and its `level`:

- `row`: failing rows point at reports (`report_id`) and at their place in the frame. A blocking
  failure in a report's own row (`raw.reports`) makes the report unusable: it is quarantined whole
  (`reports_failing_row_checks`). A blocking failure in any other table holds aside exactly the
  failing rows (`rows_failing_row_checks`); the rest of the report loads.
- `batch`: the frame as a whole (columns, keys, grain, row counts, pipeline-made values); a
  blocking failure stops the publish (`publish_blocking_failures`). So does a blocking row-level
  failure that names no report, since quarantining cannot mend it.

Validation runs in one in-memory (ephemeral) GX context per process, never in the file context:
runs that overlap would otherwise write data sources and results into the same YAML and folders.
GX is imported inside the functions because importing it takes seconds.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines.settings import EXPECTATIONS_DIR

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.data_context import EphemeralDataContext
    from great_expectations.datasource.fluent.interfaces import Batch


def suites_dir() -> Path:
    """The reviewed suites: `expectations/expectations/`, or those of `RW_EXPECTATIONS_DIR` if set."""
    return Path(os.environ.get("RW_EXPECTATIONS_DIR", EXPECTATIONS_DIR)) / "expectations"


ROW = "row"
BATCH = "batch"
REPORT_ID = "report_id"
# Row number of a validated frame, so a failed row-level expectation names the exact rows it failed on.
ROW_NUMBER = "row_number"
# The table whose failing row makes its report unusable (no date, no type, no text): quarantined whole.
WHOLE_REPORT_TABLE = "raw.reports"
TEXT_LENGTH = "report_text_length"
# Suite parameter of every mart suite's row-count guard (see `mart_runtime_params`).
MIN_ROW_COUNT = "min_row_count"

# Extraction frame -> its suite; frames with character offsets also get `report_text_length`.
RAW_SUITES = {
    "reports": "raw_reports",
    "claims": "raw_claims",
    "metrics": "raw_metrics",
    "ratings": "raw_ratings",
    "recommendations": "raw_recommendations",
    "entity_mentions": "raw_entity_mentions",
}


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation evaluated on one frame (a row of `audit.validations`)."""

    suite: str
    expectation: str  # readable name, e.g. expect_column_values_to_be_between(value if unit == "%")
    table_name: str
    success: bool
    unexpected_count: int | None  # None for table-level expectations and errors
    blocking: bool
    level: str  # ROW or BATCH
    failing_report_ids: tuple[str, ...] = ()
    failing_rows: tuple[int, ...] = ()  # row numbers (`ROW_NUMBER`) in the frame validated, when it has them
    error: str | None = None  # why GX could not evaluate it (e.g. a missing column)
    why: str = ""  # the reviewed reason for the expectation, in words a person reads
    expectation_id: str = ""  # the reviewed suite's id of the expectation (names may repeat)


@dataclass(frozen=True)
class SuiteValidation:
    """The outcomes of one suite on one frame, with GX's own result (JSON) for Data Docs."""

    suite: str
    table_name: str
    outcomes: list[ExpectationOutcome]
    gx_result: dict[str, Any]

    @property
    def passed(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)


def suite_names() -> list[str]:
    """Names of every reviewed suite."""
    return sorted(path.stem for path in suites_dir().glob("*.json"))


def read_suite(suite_name: str) -> dict[str, Any]:
    """The reviewed suite as stored (JSON); a fresh copy on each call."""
    return json.loads((suites_dir() / f"{suite_name}.json").read_text(encoding="utf-8"))


def expectation_name(config: Mapping[str, Any]) -> str:
    """Readable, unique-within-a-suite name: type, its columns and any row condition."""
    kwargs = config["kwargs"]
    columns = (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", ()))
    target = ", ".join(column for column in columns if column)
    condition = kwargs.get("row_condition")
    if isinstance(condition, Mapping):  # GX stores a pandas query as {"pass_through_filter": ...}
        condition = condition.get("pass_through_filter")
    if condition:
        target += f" if {condition}"
    return f"{config['type']}({target})"


def mart_runtime_params(previous_row_count: int | None) -> dict[str, int]:
    """Runtime parameters of a mart suite: the row count below which the mart shrank by over half."""
    return {MIN_ROW_COUNT: math.ceil(previous_row_count / 2) if previous_row_count else 0}


def with_report_text_length(frame: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """`frame` plus the length (in characters) of its report's decoded text, for offset checks."""
    lengths = texts.select(REPORT_ID, pl.col("text").str.len_chars().cast(pl.Int64).alias(TEXT_LENGTH))
    return frame.join(lengths, on=REPORT_ID, how="left")


def gx_ready(frame: pl.DataFrame | pd.DataFrame) -> pd.DataFrame:
    """The frame as pandas (through Arrow) with each list column `c` replaced by `c_min`, `c_max`.

    GX checks scalar cells only; page lists are bounded through their smallest and largest page.
    """
    if not isinstance(frame, pl.DataFrame):
        frame = pl.from_pandas(frame)
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    frame = frame.with_columns(
        *(pl.col(name).list.min().alias(f"{name}_min") for name in lists),
        *(pl.col(name).list.max().alias(f"{name}_max") for name in lists),
    ).drop(lists)
    return frame.to_pandas()


def _gx():
    """The great_expectations module, imported with usage statistics off."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations

    return great_expectations


@cache
def _context() -> EphemeralDataContext:
    """The process's GX context: in memory, no progress bars."""
    context = _gx().get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.data_sources.add_pandas("frames")
    return context


def _batch(table_name: str, frame: pd.DataFrame) -> Batch:
    """A GX batch of the whole frame, under an asset named after the table."""
    source = _context().data_sources.get("frames")
    if table_name not in source.get_asset_names():
        source.add_dataframe_asset(table_name).add_batch_definition_whole_dataframe("whole")
    definition = source.get_asset(table_name).get_batch_definition("whole")
    return definition.get_batch(batch_parameters={"dataframe": frame})


def _error_message(exception_info: Mapping[str, Any]) -> str | None:
    """GX reports errors either flat or keyed by metric; the first message either way."""
    infos = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    messages = [info.get("exception_message") for info in infos if info.get("raised_exception")]
    return messages[0] if messages else None


def _report_ids(result: Mapping[str, Any]) -> tuple[str, ...]:
    """The distinct report_id values of the failing rows (COMPLETE result format lists them)."""
    rows = result.get("unexpected_index_list") or []
    return tuple(
        sorted({row[REPORT_ID] for row in rows if isinstance(row, Mapping) and isinstance(row.get(REPORT_ID), str)})
    )


def _row_numbers(result: Mapping[str, Any]) -> tuple[int, ...]:
    """The row numbers of the failing rows, when the frame was numbered (see `number_rows`)."""
    rows = result.get("unexpected_index_list") or []
    return tuple(sorted({int(row[ROW_NUMBER]) for row in rows if isinstance(row, Mapping) and ROW_NUMBER in row}))


def number_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its row numbers, which failed row-level expectations then report."""
    return frame.with_row_index(ROW_NUMBER)


def _outcome(
    suite_name: str, table_name: str, config: Mapping[str, Any], result: ExpectationValidationResult
) -> ExpectationOutcome:
    """One GX expectation result, named and classified by its reviewed configuration."""
    meta = config["meta"]
    return ExpectationOutcome(
        suite=suite_name,
        expectation=expectation_name(config),
        table_name=table_name,
        success=bool(result.success),
        unexpected_count=result.result.get("unexpected_count"),
        blocking=bool(meta["blocking"]),
        level=meta["level"],
        failing_report_ids=_report_ids(result.result),
        failing_rows=_row_numbers(result.result),
        error=_error_message(result.exception_info or {}),
        why=meta.get("why", ""),
        expectation_id=config["id"],
    )


def validate_frame(
    suite_name: str,
    frame: pl.DataFrame | pd.DataFrame,
    *,
    table_name: str,
    runtime_params: Mapping[str, Any] | None = None,
) -> SuiteValidation:
    """Validate one frame against one reviewed suite."""
    data = gx_ready(frame)
    result_format: dict[str, Any] = {"result_format": "COMPLETE"}
    index_columns = [name for name in (REPORT_ID, ROW_NUMBER) if name in data.columns]
    if index_columns:
        result_format["unexpected_index_column_names"] = index_columns
    reviewed = read_suite(suite_name)
    configs = {config["id"]: config for config in reviewed["expectations"]}
    result = _batch(table_name, data).validate(
        _gx().ExpectationSuite(**reviewed),
        result_format=result_format,
        expectation_parameters=dict(runtime_params or {}),
    )
    outcomes = [_outcome(suite_name, table_name, configs[r.expectation_config.id], r) for r in result.results]
    return SuiteValidation(suite_name, table_name, outcomes, result.to_json_dict())


TABLE_ROW_COUNT = "expect_table_row_count_to_be_between"
# Expectations about a table as a whole, which its row count and columns decide.
TABLE_LEVEL = frozenset({TABLE_ROW_COUNT, "expect_table_columns_to_match_set"})


def checks_rows(suite_name: str) -> bool:
    """Whether the suite has expectations on the values of rows (else counts and columns decide it)."""
    return any(config["type"] not in TABLE_LEVEL for config in read_suite(suite_name)["expectations"])


def validate_in_chunks(
    suite_name: str, chunks: Iterable[pl.DataFrame], *, table_name: str, table_rows: int, min_row_count: int = 0
) -> SuiteValidation:
    """Validate a table's rows chunk by chunk, so memory is bounded by the chunk, not the table.

    Row expectations hold for the table if they hold in every chunk. The row-count guard is about the
    whole table, which no chunk is: it is decided from `table_rows` (counted in the database) instead.
    """
    params = {MIN_ROW_COUNT: min_row_count}
    # Chunks are validated without the shrink guard, which only the whole table's count can answer.
    results = [
        validate_frame(suite_name, chunk, table_name=table_name, runtime_params=mart_runtime_params(None))
        for chunk in chunks
    ]
    configs = {config["id"]: config for config in read_suite(suite_name)["expectations"]}
    outcomes = [
        replace(o, success=_row_count_holds(configs[o.expectation_id]["kwargs"], table_rows, params))
        if configs[o.expectation_id]["type"] == TABLE_ROW_COUNT
        else o
        for o in merge_outcomes(outcomes_of(results))
    ]
    # GX's own result of the first chunk that failed (else the first chunk) stands for the table in Data Docs.
    shown = next((r for r in results if not r.passed), results[0])
    return SuiteValidation(suite_name, table_name, outcomes, shown.gx_result)


def _row_count_holds(kwargs: Mapping[str, Any], rows: int, params: Mapping[str, Any]) -> bool:
    """`expect_table_row_count_to_be_between` evaluated on a row count (bounds may be suite parameters)."""

    def bound(value):
        return params[value["$PARAMETER"]] if isinstance(value, Mapping) else value

    low, high = bound(kwargs.get("min_value")), bound(kwargs.get("max_value"))
    return (low is None or rows >= low) and (high is None or rows <= high)


def validate_extraction(frames: Mapping[str, pl.DataFrame], texts: pl.DataFrame) -> list[SuiteValidation]:
    """Validate a batch of extraction frames; `texts` has `report_id` and the decoded `text`."""
    validations = []
    for frame_name, suite_name in RAW_SUITES.items():
        # Numbered before any join, so a failing row number points into `frames[frame_name]`.
        frame = number_rows(frames[frame_name])
        if frame_name == "reports":
            frame = frame.join(texts.select(REPORT_ID, "text"), on=REPORT_ID, how="left")
        elif "char_end" in frame.columns:
            frame = with_report_text_length(frame, texts)
        validations.append(validate_frame(suite_name, frame, table_name=f"raw.{frame_name}"))
    return validations


def outcomes_of(validations: Iterable[SuiteValidation]) -> list[ExpectationOutcome]:
    """Every outcome of several suite validations."""
    return [outcome for validation in validations for outcome in validation.outcomes]


def merge_outcomes(outcomes: Iterable[ExpectationOutcome]) -> list[ExpectationOutcome]:
    """One outcome per expectation of several batches of the same table: it succeeded if it did in
    every batch; unexpected rows and failing reports add up; the first error is kept."""
    merged: dict[tuple[str, str, str], ExpectationOutcome] = {}
    for outcome in outcomes:
        key = (outcome.suite, outcome.table_name, outcome.expectation_id or outcome.expectation)
        seen = merged.get(key)
        if seen is None:
            merged[key] = outcome
            continue
        counts = [c for c in (seen.unexpected_count, outcome.unexpected_count) if c is not None]
        merged[key] = replace(
            seen,
            success=seen.success and outcome.success,
            unexpected_count=sum(counts) if counts else None,
            failing_report_ids=tuple(sorted({*seen.failing_report_ids, *outcome.failing_report_ids})),
            failing_rows=(),  # row numbers belong to one frame: merged, they would name nothing
            error=seen.error or outcome.error,
        )
    return list(merged.values())


def _holds_rows(outcome: ExpectationOutcome) -> bool:
    return not outcome.success and outcome.blocking and outcome.level == ROW


def reports_failing_row_checks(outcomes: Iterable[ExpectationOutcome]) -> dict[str, str]:
    """Reports to quarantine whole, each with the blocking row-level expectations its own row
    (`WHOLE_REPORT_TABLE`) failed: a report without a usable date, type or text is no report."""
    reasons: dict[str, list[str]] = {}
    for outcome in outcomes:
        if not _holds_rows(outcome) or outcome.table_name != WHOLE_REPORT_TABLE:
            continue
        for report_id in outcome.failing_report_ids:
            reasons.setdefault(report_id, []).append(f"{outcome.suite}: {outcome.expectation} ({outcome.why})")
    return {report_id: "failed " + "; ".join(failed) for report_id, failed in reasons.items()}


def rows_failing_row_checks(outcomes: Iterable[ExpectationOutcome]) -> dict[str, dict[int, list[ExpectationOutcome]]]:
    """Rows to hold aside, by table and row number, each with the blocking row-level expectations it
    failed: every table but `WHOLE_REPORT_TABLE`, whose failures quarantine the report instead."""
    failing: dict[str, dict[int, list[ExpectationOutcome]]] = {}
    for outcome in outcomes:
        if not _holds_rows(outcome) or outcome.table_name == WHOLE_REPORT_TABLE:
            continue
        for row in outcome.failing_rows:
            failing.setdefault(outcome.table_name, {}).setdefault(row, []).append(outcome)
    return failing


def publish_blocking_failures(outcomes: Iterable[ExpectationOutcome]) -> list[ExpectationOutcome]:
    """Failed blocking expectations that stop the publish: batch-level, or naming no report."""
    return [
        outcome
        for outcome in outcomes
        if not outcome.success and outcome.blocking and (outcome.level == BATCH or not outcome.failing_report_ids)
    ]


def build_data_docs(validations: Iterable[SuiteValidation], target_dir: Path, *, run_name: str) -> Path:
    """Render GX Data Docs of one run's validations into `target_dir`; returns its index.html."""
    gx = _gx()
    from great_expectations.core.expectation_validation_result import (
        expectationSuiteValidationResultSchema,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    validations = list(validations)
    # A fresh context per build: the run's results only, written to this run's folder.
    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(
        site_name="run",
        site_config={
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(target_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    for suite_name in sorted({validation.suite for validation in validations}):
        context.suites.add(gx.ExpectationSuite(**_with_notes(read_suite(suite_name))))
    run_id = RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))
    for validation in validations:
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=validation.suite),
            run_id=run_id,
            batch_identifier=validation.table_name,
        )
        context.validation_results_store.set(key, expectationSuiteValidationResultSchema.load(validation.gx_result))
    context.build_data_docs(site_names=["run"])
    return target_dir / "index.html"


def _with_notes(suite: dict[str, Any]) -> dict[str, Any]:
    """The suite with each expectation's blocking, level and why as its notes, which Data Docs show."""
    for expectation in suite["expectations"]:
        meta = expectation["meta"]
        expectation["notes"] = (
            f"{'blocking' if meta['blocking'] else 'non-blocking'} {meta['level']} check: {meta['why']}"
        )
    return suite


def save_validation(validation: SuiteValidation, results_dir: Path) -> Path:
    """Keep one validation's GX result as JSON, for the run's Data Docs (built once at its end)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{validation.suite}.json"
    path.write_text(
        json.dumps(
            {"suite": validation.suite, "table_name": validation.table_name, "gx_result": validation.gx_result},
            default=str,
        ),
        encoding="utf-8",
    )
    return path


def load_validations(results_dir: Path) -> list[SuiteValidation]:
    """The validations saved by `save_validation` (without outcomes: Data Docs need GX's result only)."""
    saved = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(results_dir.glob("*.json"))]
    return [SuiteValidation(item["suite"], item["table_name"], [], item["gx_result"]) for item in saved]
