"""Expectation results on record in `audit.validations`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import polars as pl

from pipelines.core import validation
from pipelines.core.build_db import connect

EXTRACT_STAGE, CHECK_STAGE = "extract", "check"

_ROW = {
    "run_id": pl.String,
    "suite": pl.String,
    "expectation": pl.String,
    "table_name": pl.String,
    "success": pl.Boolean,
    "unexpected_count": pl.Int64,
    "blocking": pl.Boolean,
    "level": pl.String,
    "evaluated_at": pl.Datetime("us"),
    "stage": pl.String,
    "blocks_publish": pl.Boolean,
}


def record_outcomes(
    build_db: Path, run_id: str, outcomes: Sequence[validation.ExpectationOutcome], evaluated_at: datetime, stage: str
) -> None:
    """Append expectation outcomes, each marked with whether it stops the publish."""
    stopping = {id(o) for o in validation.publish_blocking_failures(outcomes)}
    rows = [
        (
            run_id,
            o.suite,
            o.expectation,
            o.table_name,
            o.success,
            o.unexpected_count,
            o.blocking,
            o.level,
            evaluated_at,
            stage,
            id(o) in stopping,
        )
        for o in outcomes
    ]
    if rows:
        # One insert from Arrow: executemany runs one statement per row.
        frame = pl.DataFrame(rows, schema=_ROW, orient="row")
        with connect(build_db) as con:
            con.register("outcome_rows", frame.to_arrow())
            con.execute("insert into audit.validations by name select * from outcome_rows")


def stage_outcomes(build_db: Path, run_id: str, stage: str, suite: str) -> list[tuple]:
    """(expectation, success, unexpected_count, blocks_publish) of one suite at one stage of a run."""
    with connect(build_db, read_only=True) as con:
        return con.execute(
            """
            select expectation, success, unexpected_count, coalesce(blocks_publish, false)
            from audit.validations where run_id = ? and stage = ? and suite = ? order by expectation""",
            [run_id, stage, suite],
        ).fetchall()


def failed_blocking_expectations(build_db: Path, run_id: str) -> list[str]:
    """`suite: expectation` of every failed expectation of the run that stops its publish: a blocking
    asset check expectation, or a row check during extraction that quarantining could not mend."""
    with connect(build_db, read_only=True) as con:
        return [
            f"{suite}: {expectation}"
            for suite, expectation in con.execute(
                """
            select distinct suite, expectation from audit.validations
            where run_id = ? and blocking and not success
              and (stage = 'check' or coalesce(blocks_publish, false))
            order by suite, expectation""",
                [run_id],
            ).fetchall()
        ]
