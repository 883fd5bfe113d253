"""Staging one batch: a row failing a blocking row check is held aside, the rest of its report is staged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl

from pipelines.core import staging
from pipelines.core.landing import landed_path, report_id_for

HEAD = "Industry Investment Rating - Overweight (Maintained) [11] Core Views - "
TAIL = " - Domestic computing power costs fell 5% [2]"


def report(summary: str, source: str = "东吴证券·2024-12-24 03:36") -> bytes:
    return f"{HEAD}{summary}{TAIL}\n计算机计算机行业跟踪周报:算力产业的三个趋势\n{source}\n".encode()


def stage(tmp_path: Path, *reports: bytes) -> tuple[staging.BatchResult, dict[str, pl.DataFrame], list[str]]:
    landing, pending = tmp_path / "landing", []
    for content in reports:
        sha = hashlib.sha256(content).hexdigest()
        landed_path(landing, sha).parent.mkdir(parents=True, exist_ok=True)
        landed_path(landing, sha).write_bytes(content)
        pending.append((report_id_for(sha), sha))
    result = staging.extract_batch(landing, tmp_path / "staging", 0, pending)
    folder = staging.batch_dir(tmp_path / "staging", 0)
    return result, {path.stem: pl.read_parquet(path) for path in folder.glob("*.parquet")}, [i for i, _ in pending]


def test_an_absurd_amount_is_held_and_the_rest_of_its_report_is_staged(tmp_path: Path) -> None:
    result, staged, [absurd, good] = stage(
        tmp_path,
        report("Revenue reached 12345678901234567890123456 yuan in 2025, up 20% [1]"),
        report("Revenue reached 3 billion yuan in 2025 [1]"),
    )
    assert result.quarantined == {} and result.rows_quarantined == 1
    assert sorted(staged["reports"]["report_id"]) == sorted([absurd, good])
    assert staged["claims"].filter(pl.col("report_id") == absurd).height == 2
    kept = staged["metrics"].filter(pl.col("report_id") == absurd)["raw_text"].to_list()
    assert "20%" in kept and "5%" in kept and not any("12345678901234567890123456" in text for text in kept)
    [held] = staged["quarantined_rows"].to_dicts()
    assert held["report_id"] == absurd and held["table_name"] == "raw.metrics"
    assert json.loads(held["row_json"])["value"] > 1e15
    assert held["expectation"].startswith("raw_metrics: expect_column_values_to_be_between(value") and held["reason"]


def test_a_held_claim_takes_its_figures_and_mentions_with_it(tmp_path: Path) -> None:
    pages = "".join(f"[{k % 900 + 1}]" for k in range(1000))
    result, staged, [report_id] = stage(tmp_path, report(f"NVIDIA sales reached 30 billion yuan {pages}"))
    held = staged["quarantined_rows"]
    assert sorted(held["table_name"]) == ["raw.claims", "raw.entity_mentions", "raw.metrics"]
    assert all(
        reason.startswith("its claim was held aside: ")
        for reason in held.filter(pl.col("table_name") != "raw.claims")["reason"]
    )
    assert staged["claims"]["claim_seq"].to_list() == [2]  # the other bullet loads
    assert staged["metrics"]["claim_seq"].to_list() == [2] and staged["entity_mentions"].height == 0
    assert staged["reports"]["report_id"].to_list() == [report_id] and result.rows_quarantined == 3


def test_a_report_whose_own_row_fails_is_quarantined_whole_without_held_rows(tmp_path: Path) -> None:
    result, staged, [report_id] = stage(
        tmp_path, report("Revenue reached 12345678901234567890123456 yuan in 2025 [1]", "东吴证券·1999-01-04 09:30")
    )
    assert list(result.quarantined) == [report_id] and "published_at" in result.quarantined[report_id]
    assert staged["reports"].height == staged["metrics"].height == staged["quarantined_rows"].height == 0
