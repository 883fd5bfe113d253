"""Company names the reference does not hold: entity-mention precision/recall/F1 of the extraction library.

usage: python benchmarks/name_recall.py [--verbose] [--json OUT.json]

Three sets, each scored as ../shared/eval/score.py scores `entities` (per report, the distinct names of
fct_entity_mention against the gold `entities`, both normalised by the scorer's `norm`):
  fresh    tests/data/unseen_names: reports written for this test, naming companies absent from the seed,
           with the reference gazetteer as in a real run (the rules were then improved on its misses);
  holdout  tests/data/unseen_names_holdout: more such reports, written after the rules and never tuned on;
  dev      ../shared/corpus/dev with the company reference removed (an empty companies seed), so every
           company must be found by the general rules alone.
Mentions are the `entity_mentions` rows of the library's extract_report, as the pipeline makes them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from pipelines.extraction import schema  # noqa: E402
from pipelines.extraction.decoding import decode_report  # noqa: E402
from pipelines.extraction.entities import Gazetteer, reference_gazetteer  # noqa: E402
from pipelines.extraction.report import extract_report  # noqa: E402

FRESH_DIR = REPO_ROOT / "tests" / "data" / "unseen_names"
HOLDOUT_DIR = REPO_ROOT / "tests" / "data" / "unseen_names_holdout"
DEV_DIR = REPO_ROOT.parent / "shared" / "corpus" / "dev"
SCORER = REPO_ROOT.parent / "shared" / "eval" / "score.py"
ENTITY_NAME = list(schema.ENTITY_MENTIONS).index("entity_name")


def _scorer_norm():
    """The scorer's own name normalisation, so these figures match `make eval`'s entities figures."""
    spec = importlib.util.spec_from_file_location("score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.norm


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    def figures(self) -> tuple[float, float, float]:
        precision = self.tp / self.predicted if self.predicted else 0.0
        recall = self.tp / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def mentions(report_id: str, text: str, gazetteer: Gazetteer) -> list[str]:
    """Names found in the report's claims, as fct_entity_mention holds them."""
    return [row[ENTITY_NAME] for row in extract_report(report_id, text, gazetteer)["entity_mentions"]]


def score_corpus(corpus: Path, gazetteer: Gazetteer) -> Score:
    norm = _scorer_norm()
    score = Score()
    for gold_path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = decode_report((corpus / "reports" / gold["file"]).read_bytes()).text
        predicted = {norm(name) for name in mentions(gold_path.stem, text, gazetteer)}
        expected = {norm(name) for name in gold["entities"]}
        score.tp += len(predicted & expected)
        score.predicted += len(predicted)
        score.gold += len(expected)
        score.misses += [f"{gold['file']}: {name}" for name in sorted(expected - predicted)]
        score.false_hits += [f"{gold['file']}: {name}" for name in sorted(predicted - expected)]
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every missed and every false name")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    sets = {
        "fresh": score_corpus(FRESH_DIR, reference_gazetteer()),
        "holdout": score_corpus(HOLDOUT_DIR, reference_gazetteer()),
        "dev_without_reference": score_corpus(DEV_DIR, Gazetteer(company_names=())),
    }
    figures = {}
    for name, score in sets.items():
        precision, recall, f1 = score.figures()
        figures[name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "gold": score.gold,
            "predicted": score.predicted,
            "matched": score.tp,
        }
        print(
            f"{name:24} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
            f"(gold {score.gold}, found {score.predicted}, matched {score.tp})"
        )
        if args.verbose:
            print(
                "\n".join(
                    [f"  missed {line}" for line in score.misses] + [f"  false  {line}" for line in score.false_hits]
                )
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
