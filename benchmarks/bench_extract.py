"""Metric extraction benchmark: our find_metrics against quantulum3 on the gold claim sentences of a corpus.

usage: python benchmarks/bench_extract.py [CORPUS_DIR]   (default: ../shared/corpus/dev beside the repo)

Both extractors read the same sentences (the `claims[].text` of every gold file). A predicted figure
matches a gold metric as in the acceptance scorer: the values agree within 0.5% and the units are equal;
pairs are taken greedily, the most similar raw text first. Prints precision, recall and F1 on value+unit
and sentences per second for each extractor; speed is CPU time of this process on one core, so a busy
shared machine does not skew the comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extraction.metrics import find_metrics  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "dev"
MIN_TIMING_SECONDS = 1.0  # CPU seconds; a fast extractor is repeated until its timing is stable


@dataclass(frozen=True)
class Figure:
    text: str
    value: float
    unit: str


Extractor = Callable[[str], list[Figure]]


def ours(sentence: str) -> list[Figure]:
    """Our extractor, reduced to what the comparison scores."""
    return [Figure(m.raw_text, m.value, m.unit) for m in find_metrics(sentence)]


# quantulum3 names units in words; these map them onto our vocabulary (ISO currency, %, pp, x, count).
_QUANTULUM_CURRENCIES = {
    "chinese yuan": "CNY",
    "renminbi": "CNY",
    "united states dollar": "USD",
    "dollar": "USD",
    "hong kong dollar": "HKD",
    "euro": "EUR",
    "japanese yen": "JPY",
    "pound sterling": "GBP",
}


def quantulum_extractor() -> Extractor | None:
    """quantulum3's parser mapped to our units, or None when quantulum3 is not installed."""
    try:
        with warnings.catch_warnings():  # it warns that its optional disambiguation classifier is absent
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return None

    def extract(sentence: str) -> list[Figure]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantities = parser.parse(sentence)
        figures = []
        for q in quantities:
            unit, value = _quantulum_unit(q), q.value
            if unit is None:
                continue
            if q.uncertainty:  # a range comes back as its midpoint ± half-width; gold keeps the low end
                value -= q.uncertainty
            if q.unit.name == "basis point":
                value /= 100
            figures.append(Figure(q.surface, value, unit))
        return figures

    return extract


def _quantulum_unit(q) -> str | None:
    name, entity = q.unit.name, q.unit.entity.name
    surface = q.surface.lower()
    if getattr(q.unit, "currency_code", None):
        return q.unit.currency_code
    base = name.split(" per ")[0]
    if base in _QUANTULUM_CURRENCIES:
        return _QUANTULUM_CURRENCIES[base]
    if name in ("percentage point", "basis point"):
        return "pp"
    if name == "percentage":
        return "%"
    if surface.endswith("x") or "times" in surface or "fold" in surface:
        return "x"
    if entity == "unknown":
        return None
    return "count"  # dimensionless numbers and physical measures: our "count"


def gold_sentences(corpus: Path) -> list[tuple[list[str], list[dict]]]:
    """Per gold report: its claim sentences and its gold metrics."""
    reports = []
    for path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        reports.append(([c["text"] for c in gold["claims"]], gold["metrics"]))
    return reports


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 + 0.005 * max(abs(a), abs(b))


def matched_pairs(gold: list[dict], predicted: list[Figure]) -> int:
    """How many gold metrics pair with a prediction (same unit, close value), greedily by text similarity."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if p.unit == g["unit"] and _close(float(g["value"]), p.value):
                similarity = SequenceMatcher(None, g["text"].lower(), p.text.lower(), autojunk=False).ratio()
                candidates.append((1 + similarity, i, j))
    used_gold, used_pred, pairs = set(), set(), 0
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs += 1
    return pairs


def evaluate(extract: Extractor, reports: list[tuple[list[str], list[dict]]]) -> dict[str, float]:
    """Precision, recall, F1 on value+unit and sentences per second of one extractor."""
    true_pos = n_pred = n_gold = 0
    for sentences, gold in reports:
        predicted = [figure for sentence in sentences for figure in extract(sentence)]
        true_pos += matched_pairs(gold, predicted)
        n_pred += len(predicted)
        n_gold += len(gold)
    sentences = [s for report_sentences, _ in reports for s in report_sentences]
    runs, started = 0, time.process_time()
    while True:
        for sentence in sentences:
            extract(sentence)
        runs += 1
        elapsed = time.process_time() - started
        if elapsed >= MIN_TIMING_SECONDS:
            break
    precision = true_pos / n_pred if n_pred else 0.0
    recall = true_pos / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "sentences_per_second": runs * len(sentences) / elapsed,
        "matched": true_pos,
        "predicted": n_pred,
        "gold": n_gold,
    }


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="corpus dir holding gold/")
    corpus = args.parse_args(argv).corpus
    reports = gold_sentences(corpus)
    if not reports:
        print(f"bench-extract: no gold files under {corpus / 'gold'}", file=sys.stderr)
        return 2
    extractors: dict[str, Extractor | None] = {"ours": ours, "quantulum3": quantulum_extractor()}
    print(
        f"corpus {corpus}: {sum(len(s) for s, _ in reports)} sentences, {sum(len(g) for _, g in reports)} gold metrics"
    )
    print(f"{'extractor':12} {'precision':>9} {'recall':>7} {'f1':>7} {'sentences/s':>12}  matched/predicted/gold")
    for name, extract in extractors.items():
        if extract is None:
            print(f"{name:12} not installed (pip install quantulum3) - skipped")
            continue
        r = evaluate(extract, reports)
        print(
            f"{name:12} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} {r['sentences_per_second']:12.1f}"
            f"  {r['matched']}/{r['predicted']}/{r['gold']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
