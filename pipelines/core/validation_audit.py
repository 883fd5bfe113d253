"""Expectation results on record in `audit.validations`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pipelines.core.build_db import connect


EXTRACT_STAGE, CHECK_STAGE = "extract", "check"


def record_outcomes(build_db: Path, run_id: str, outcomes: Iterable, evaluated_at: datetime,
                    stage: str) -> None:
    """Append expectation outcomes (see `pipelines.core.validation.ExpectationOutcome`)."""
    rows = [(run_id, o.suite, o.expectation, o.table_name, o.success, o.unexpected_count, o.blocking,
             o.level, evaluated_at, stage) for o in outcomes]
    if rows:
        with connect(build_db) as con:
            con.executemany("insert into audit.validations values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def failed_blocking_expectations(build_db: Path, run_id: str) -> list[str]:
    """`suite: expectation` of every blocking asset check expectation that failed in the run."""
    with connect(build_db, read_only=True) as con:
        return [f"{suite}: {expectation}" for suite, expectation in con.execute("""
            select suite, expectation from audit.validations
            where run_id = ? and blocking and not success and stage = 'check'
            order by suite, expectation""",
                                                                                   [run_id]).fetchall()]
