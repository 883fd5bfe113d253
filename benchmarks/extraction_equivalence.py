"""Extraction equivalence and speed: extract a fixed corpus, save every frame, or compare with a saved run.

usage: python benchmarks/extraction_equivalence.py (--save DIR | --compare DIR) [--reports N] [--profile N]

The corpus is fixed: N synthetic reports (copies of data/samples made by benchmarks/corpus.py, as
bytes, decoded with decode_report) followed by the dev reports of ../shared/corpus/dev/reports.
--save writes each frame of extract_reports to DIR/<frame>.parquet; --compare reads them back and checks
that every frame is equal row for row, on the columns the saved run has (frames may gain new columns),
printing the first differing rows and exiting non-zero on any difference.
Speed is CPU time of this process (time.process_time), so a busy shared machine does not skew it;
--profile N prints cProfile's top N functions of the extraction.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

import polars as pl

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.corpus import load_templates, variant  # noqa: E402
from pipelines.extraction.decoding import ReportRejected, decode_report  # noqa: E402
from pipelines.extraction.report import extract_reports  # noqa: E402

DEV_REPORTS = REPO_ROOT.parent / "shared" / "corpus" / "dev" / "reports"
DEFAULT_REPORTS = 2000
DIFF_ROWS_SHOWN = 5


def corpus_bytes(reports: int) -> list[tuple[str, bytes]]:
    """(report_id, raw bytes) of the fixed corpus: `reports` synthetic copies, then every dev report."""
    templates = load_templates()
    synthetic = [
        (f"synthetic-{number:06d}", variant(templates[number % len(templates)], number // len(templates)))
        for number in range(reports)
    ]
    dev = [(f"dev-{path.stem}", path.read_bytes()) for path in sorted(DEV_REPORTS.glob("*.txt"))]
    return synthetic + dev


def decode_all(raw_reports: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    docs = []
    for report_id, raw in raw_reports:
        try:
            docs.append((report_id, decode_report(raw).text))
        except ReportRejected:
            continue  # undecodable files never reach extraction
    return docs


def save(frames: dict[str, pl.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.write_parquet(folder / f"{name}.parquet")


def differences(frames: dict[str, pl.DataFrame], folder: Path) -> list[str]:
    """A message per frame that differs from the saved run (missing, shape, or first differing rows)."""
    problems = []
    for path in sorted(folder.glob("*.parquet")):
        expected = pl.read_parquet(path)
        actual = frames.get(path.stem)
        if actual is None:
            problems.append(f"{path.stem}: frame missing")
            continue
        missing = [c for c in expected.columns if c not in actual.columns]
        if missing:
            problems.append(f"{path.stem}: columns missing {missing}")
            continue
        actual = actual.select(expected.columns)
        if actual.schema != expected.schema:
            problems.append(f"{path.stem}: schema {actual.schema} != saved {expected.schema}")
        elif actual.height != expected.height:
            problems.append(f"{path.stem}: {actual.height} rows != saved {expected.height}")
        elif not actual.equals(expected, null_equal=True):
            differing = actual.with_row_index("row").filter(
                ~pl.Series([a == e for a, e in zip(actual.rows(), expected.rows(), strict=False)])
            )
            rows = differing["row"].head(DIFF_ROWS_SHOWN).to_list()
            problems.append(
                f"{path.stem}: {differing.height} rows differ; first rows {rows}\n"
                f"  actual:   {actual[rows].rows()}\n  expected: {expected[rows].rows()}"
            )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, metavar="DIR")
    mode.add_argument("--compare", type=Path, metavar="DIR")
    parser.add_argument("--reports", type=int, default=DEFAULT_REPORTS, help="synthetic reports")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile's top N functions")
    args = parser.parse_args()

    raw_reports = corpus_bytes(args.reports)
    started = time.process_time()
    docs = decode_all(raw_reports)
    decode_seconds = time.process_time() - started
    profiler = cProfile.Profile() if args.profile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    frames = extract_reports(docs)
    if profiler:
        profiler.disable()
    extract_seconds = time.process_time() - started
    print(
        f"{len(docs)} reports: decode {decode_seconds:.2f} CPU s, extract {extract_seconds:.2f} CPU s "
        f"= {len(docs) / extract_seconds:.0f} reports/s per core "
        f"({len(docs) / (decode_seconds + extract_seconds):.0f} with decoding)"
    )
    print("rows: " + ", ".join(f"{name} {frame.height}" for name, frame in frames.items()))
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    if args.save:
        save(frames, args.save)
        print(f"saved to {args.save}")
        return 0
    problems = differences(frames, args.compare)
    for problem in problems:
        print(problem)
    print("IDENTICAL" if not problems else f"DIFFERENT: {len(problems)} frames")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
