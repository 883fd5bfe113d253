"""Every BI query of docs/queries/*.sql on the warehouse published from data/samples.

Each answer is checked against an expectation derived independently: from the gold annotations
of the samples (a small Python model of ratings, rating changes and consensus) or, for names
the reference data does not know, from the seed CSVs. Never from the query's own output.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.defs.validate.checks import CONTRACT_MARTS
from pipelines.settings import SEEDS_DIR
from tests.conftest import GOLD, REPO_ROOT, SAMPLES, stated_values
from tests.integration.conftest import PipelineRun, copy_reports, run_pipeline

pytestmark = pytest.mark.integration

QUERIES_DIR = REPO_ROOT / "docs" / "queries"
QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))
DBT_DIR = REPO_ROOT / "dbt_project"
STALE_AFTER = timedelta(days=yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text())["vars"]["stale_rating_days"])
STATED_CHANGE = {"maintain": "reiteration", "upgrade": "upgrade", "downgrade": "downgrade", "initiate": "initiation"}
ANALYST_MARTS = (
    "company_consensus",
    "industry_consensus",
    "theme_recommendations_monthly",
    "forecast_series",
    "report_activity_weekly",
    "fct_rating_change",
)


# --- the gold side: what the samples say, modelled in plain Python -------------------------------------------


@dataclass(frozen=True)
class GoldRating:
    broker: str  # English name, as dim_broker.name_en
    published_at: datetime
    scope: str
    target: str | None  # industry (Chinese name) or subject company code; None when the report lacks it
    score: int | None
    std: str | None
    stated_change: str | None


@dataclass(frozen=True)
class GoldChange:
    rating: GoldRating
    previous: GoldRating | None

    @property
    def derived_change(self) -> str | None:
        if self.previous is None:
            return "initiation"
        if self.rating.score is None or self.previous.score is None:
            return None
        if self.rating.score == self.previous.score:
            return "reiteration"
        return "upgrade" if self.rating.score < self.previous.score else "downgrade"

    @property
    def change_type(self) -> str | None:
        """The ratings' own change where there is history, else what the report states."""
        if self.previous is None:
            return self.rating.stated_change or self.derived_change
        return self.derived_change or self.rating.stated_change


class Gold:
    """The gold annotations of the sample reports."""

    def __init__(self, files: list[Path]):
        self.reports = [json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8")) for path in files]

    @staticmethod
    def published_at(report: dict) -> datetime:
        return datetime.strptime(report["report"]["published_at"], "%Y-%m-%d %H:%M")

    @cached_property
    def reference_at(self) -> datetime:
        return max(map(self.published_at, self.reports))

    @cached_property
    def ratings(self) -> list[GoldRating]:
        ratings = []
        for report in self.reports:
            meta, rating = report["report"], report["report"]["rating"]
            if rating is None:
                continue
            subject = meta["subject_company"] or {}
            ratings.append(
                GoldRating(
                    broker=meta["broker_en"],
                    published_at=self.published_at(report),
                    scope=rating["scope"],
                    target=meta["industry_cn"] if rating["scope"] == "industry" else subject.get("code"),
                    score=rating["score"],
                    std=rating["std"],
                    stated_change=STATED_CHANGE.get(rating["action_std"]),
                )
            )
        return ratings

    @cached_property
    def changes(self) -> list[GoldChange]:
        """Each rating with a known target next to the same broker's previous one on that target."""
        histories: dict[tuple, list[GoldRating]] = defaultdict(list)
        for rating in sorted(self.ratings, key=lambda r: r.published_at):
            if rating.target is not None:
                histories[rating.broker, rating.scope, rating.target].append(rating)
        return [
            GoldChange(rating, history[i - 1] if i else None)
            for history in histories.values()
            for i, rating in enumerate(history)
        ]

    def current_and_stale(self, scope: str, target: str) -> tuple[list[GoldRating], list[GoldRating]]:
        """Each broker's latest rating on a target, split into current and stale ones."""
        latest = {}
        for change in self.changes:
            rating = change.rating
            if (rating.scope, rating.target) == (scope, target):
                latest[rating.broker] = rating  # changes are in date order
        cutoff = self.reference_at - STALE_AFTER
        return (
            [r for r in latest.values() if r.published_at >= cutoff],
            [r for r in latest.values() if r.published_at < cutoff],
        )

    def recommendations(self) -> list[tuple[dict, str, str]]:
        """(report, theme, company as written) of every recommended company."""
        return [
            (report, rec["theme"], company)
            for report in self.reports
            for rec in report["recommendations"]
            for company in rec["companies"]
        ]


def monday(moment: datetime) -> date:
    return (moment - timedelta(days=moment.weekday())).date()


def rows_as_dicts(warehouse: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- one check per query, keyed by file stem ----------------------------------------------------------------


def check_company_consensus(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    current, stale = gold.current_and_stale("company", "300308")
    [row] = rows
    assert row["ticker"] == "300308"
    assert row["reference_date"] == gold.reference_at.date()
    assert row["n_brokers"] == len(current) and row["n_stale_brokers"] == len(stale)
    assert row["mean_rating_score"] == pytest.approx(statistics.mean(r.score for r in current), abs=0.005)
    counts = Counter(r.std for r in current)
    assert [row[f"n_{std}"] for std in ("strong_buy", "buy", "hold", "underperform", "sell")] == [
        counts[std] for std in ("strong_buy", "buy", "hold", "underperform", "sell")
    ]
    for days in (30, 90):
        window = [
            c
            for c in gold.changes
            if (c.rating.scope, c.rating.target) == ("company", "300308")
            and c.rating.published_at > gold.reference_at - timedelta(days=days)
        ]
        for kind in ("upgrade", "downgrade"):
            assert row[f"n_{kind}s_{days}d"] == sum(c.change_type == kind for c in window)
    assert row["latest_report_at"] == max(
        gold.published_at(r) for r in gold.reports if (r["report"]["subject_company"] or {}).get("code") == "300308"
    )


def check_latest_rating_changes(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    moves = [c for c in gold.changes if c.change_type not in (None, "reiteration")]
    latest_week = max(monday(c.rating.published_at) for c in moves)
    expected = sorted(
        (c.rating.published_at, c.rating.broker, c.change_type)
        for c in moves
        if monday(c.rating.published_at) == latest_week
    )
    assert sorted((r["published_at"], r["broker"], r["change_type"]) for r in rows) == expected


def check_most_recommended_computer_companies(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    computer = [
        (report, company)
        for report, _, company in gold.recommendations()
        if report["report"]["industry_cn"] == "计算机"
    ]
    month = max(gold.published_at(report).strftime("%Y-%m") for report, _ in computer)
    in_month = [
        (report["report"]["broker_en"], report["file"], company)
        for report, company in computer
        if gold.published_at(report).strftime("%Y-%m") == month
    ]
    names_per_row = [set(row["names_as_written"].split(" | ")) for row in rows]
    assert set().union(*names_per_row) == {company for _, _, company in in_month}
    for row, names in zip(rows, names_per_row, strict=True):
        assert row["n_brokers"] == len({broker for broker, _, company in in_month if company in names})
        assert row["n_reports"] == len({file for _, file, company in in_month if company in names})
    assert [row["n_brokers"] for row in rows] == sorted((row["n_brokers"] for row in rows), reverse=True)


CAPEX = re.compile(r"capex|capital expenditure|capital spending", re.IGNORECASE)
BYTEDANCE = re.compile(r"bytedance|字节", re.IGNORECASE)
MONEY = re.compile(r"[A-Z]{3}")


def check_bytedance_capex(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    expected = set()
    for report in gold.reports:
        claims = [c["text"] for c in report["claims"] if CAPEX.search(c["text"]) and BYTEDANCE.search(c["text"])]
        expected |= {
            (gold.published_at(report), m["value"], m["year"], m["unit"])
            for m in report["metrics"]
            if MONEY.fullmatch(m["unit"]) and m["per"] is None and any(m["text"] in c for c in claims)
        }
    assert len(rows) == len(expected)
    assert {(r["published_at"], r["value"], r["fiscal_year"], r["unit"]) for r in rows} == expected


DOWNGRADE_WINDOW = timedelta(days=180)  # as the question of 05 says


def check_brokers_downgrading(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    since = gold.reference_at - DOWNGRADE_WINDOW
    expected = Counter(
        c.rating.broker for c in gold.changes if c.change_type == "downgrade" and c.rating.published_at > since
    )
    assert {(r["broker"], r["n_downgrades"]) for r in rows} == set(expected.items())
    assert [r["n_downgrades"] for r in rows] == sorted((r["n_downgrades"] for r in rows), reverse=True)


def check_most_bullish_industries(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    expected = set()
    for industry in {r.target for r in gold.ratings if r.scope == "industry" and r.target}:
        current, _ = gold.current_and_stale("industry", industry)
        if current:
            expected.add((industry, len(current), round(statistics.mean(r.score for r in current), 2)))
    assert {(r["name_cn"], r["n_brokers"], r["mean_rating_score"]) for r in rows} == expected
    assert [r["mean_rating_score"] for r in rows] == sorted(r["mean_rating_score"] for r in rows)


OTHER_FIGURE_KINDS = ("revenue", "sales", "eps", "earnings per share", "target price", " pe ")


def check_net_profit_forecasts(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    expected = set()
    for report in gold.reports:
        if (report["report"]["subject_company"] or {}).get("code") != "002594":
            continue
        published = gold.published_at(report)
        for claim in report["claims"]:
            for metric in report["metrics"]:
                position = claim["text"].find(metric["text"])
                before = f" {claim['text'][:position].lower()} "
                is_forecast = (
                    "forecast" in claim["section"].lower()
                    or "valuation" in claim["section"].lower()
                    or (metric["year"] or 0) > published.year
                )
                if (
                    position >= 0
                    and metric["unit"] == "CNY"
                    and metric["per"] is None
                    and is_forecast
                    and before.rfind("net profit") > max(before.rfind(kind) for kind in OTHER_FIGURE_KINDS)
                ):
                    expected.add(
                        (metric["year"], published.date(), report["report"]["broker_en"], round(metric["value"] / 1e6))
                    )
    assert {
        (r["fiscal_year"], r["published_date"], r["broker"], round(r["net_profit_bn"] * 1e3)) for r in rows
    } == expected
    assert len(rows) == len(expected)


def check_broker_activity(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    industry_en = dict(run.query("select name_cn, name_en from marts.dim_industry"))
    first_week = monday(gold.reference_at) - timedelta(weeks=13)
    expected: Counter = Counter()
    for report in gold.reports:
        meta = report["report"]
        if monday(gold.published_at(report)) > first_week:
            key = (meta["broker_en"], industry_en.get(meta["industry_cn"], "(no industry)"))
            expected[(*key, "n_reports")] += 1
            expected[(*key, "n_company_reports")] += meta["report_type"] == "company"
            expected[(*key, "n_industry_reports")] += meta["report_type"] == "industry"
            expected[(*key, "n_ratings")] += meta["rating"] is not None
    actual = Counter(
        {
            (r["broker"], r["industry"], column): r[column]
            for r in rows
            for column in ("n_reports", "n_company_reports", "n_industry_reports", "n_ratings")
        }
    )
    assert +actual == +expected  # unary + drops zero counts


def check_rating_action_disagreements(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    def questionable(change: GoldChange) -> bool:
        stated, derived = change.rating.stated_change, change.derived_change
        if change.previous is None:
            return stated in ("upgrade", "downgrade")
        return stated is not None and derived is not None and stated != derived

    expected = sorted(
        (c.rating.published_at, c.rating.broker, c.rating.stated_change, c.derived_change)
        for c in gold.changes
        if questionable(c)
    )
    assert sorted((r["published_at"], r["broker"], r["stated_change"], r["derived_change"]) for r in rows) == expected


THEME_WINDOW = timedelta(days=90)  # as the question of 10 says


def check_top_themes(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    since = gold.reference_at - THEME_WINDOW
    brokers, reports = defaultdict(set), defaultdict(set)
    for report, theme, _ in gold.recommendations():
        if gold.published_at(report) > since:
            brokers[theme.lower()].add(report["report"]["broker_en"])
            reports[theme.lower()].add(report["file"])
    assert {(r["theme"], r["n_brokers"], r["n_reports"]) for r in rows} == {
        (theme, len(brokers[theme]), len(reports[theme])) for theme in brokers
    }


def name_key(name: str) -> str:
    return " ".join(name.split()).lower()


def seed_names(seed: str, columns: tuple[str, ...]) -> set[str]:
    """Every name and alias of a reference seed, folded like the warehouse folds them."""
    with (SEEDS_DIR / seed).open(encoding="utf-8") as handle:
        return {
            name_key(name)
            for row in csv.DictReader(handle)
            for name in [*(row[c] for c in columns), *(row["aliases"] or "").split("|")]
            if name.strip()
        }


def check_unresolved_names(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    brokers = seed_names("brokers.csv", ("name_cn", "name_en"))
    companies = seed_names("companies.csv", ("name_cn", "name_en"))
    expected: Counter = Counter()
    for report in gold.reports:
        broker = report["report"]["broker_cn"]
        # a broker is also known when it is a known name followed by a suffix (东吴证券研究所)
        if not any(name_key(broker).startswith(known) for known in brokers):
            expected["broker", broker] += 1
        for name in {c for rec in report["recommendations"] for c in rec["companies"]}:
            expected["recommended company", name] += name_key(name) not in companies
        for name in set(report["entities"]):
            expected["mentioned organisation", name] += name_key(name) not in companies
    assert {(r["kind"], r["name_as_written"]): r["n_reports"] for r in rows} == dict(+expected)


CHECKS: dict[str, Callable[[list[dict], Gold, PipelineRun], None]] = {
    "01_company_consensus": check_company_consensus,
    "02_latest_rating_changes": check_latest_rating_changes,
    "03_most_recommended_computer_companies_latest_month": check_most_recommended_computer_companies,
    "04_bytedance_capex_figures": check_bytedance_capex,
    "05_brokers_downgrading_last_180_days": check_brokers_downgrading,
    "06_most_bullish_industries": check_most_bullish_industries,
    "07_net_profit_forecasts_by_broker": check_net_profit_forecasts,
    "08_broker_activity_last_quarter": check_broker_activity,
    "09_rating_action_disagreements": check_rating_action_disagreements,
    "10_top_themes_last_90_days": check_top_themes,
    "11_unresolved_names": check_unresolved_names,
}


# --- fixtures and tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory) -> PipelineRun:
    """One pipeline run on every sample report."""
    root = tmp_path_factory.mktemp("queries")
    run = run_pipeline(copy_reports(sorted(SAMPLES.glob("*.txt")), root / "inbox"), root / "home")
    assert run.exit_code == 0, run.output
    return run


@pytest.fixture(scope="module")
def gold() -> Gold:
    return Gold(sorted(SAMPLES.glob("*.txt")))


def test_every_query_has_a_question_and_a_check():
    assert len(QUERY_FILES) >= 8
    for path in QUERY_FILES:
        assert path.read_text(encoding="utf-8").startswith("-- Question: "), path.name
    assert sorted(CHECKS) == [path.stem for path in QUERY_FILES]


def test_every_query_is_an_exposure_over_the_marts_it_reads():
    exposures = yaml.safe_load((DBT_DIR / "models" / "exposures.yml").read_text(encoding="utf-8"))["exposures"]
    by_file = {exposure["meta"]["query_file"]: exposure for exposure in exposures}
    assert sorted(by_file) == [f"docs/queries/{path.name}" for path in QUERY_FILES]
    for path in QUERY_FILES:
        exposure, sql = by_file[f"docs/queries/{path.name}"], path.read_text(encoding="utf-8")
        assert " ".join(exposure["description"].split()) == sql.splitlines()[0].removeprefix("-- Question: ")
        assert {f"ref('{table}')" for table in re.findall(r"\bmarts\.(\w+)", sql)} == set(exposure["depends_on"])


@pytest.mark.parametrize("query", QUERY_FILES, ids=[path.stem for path in QUERY_FILES])
def test_query_answer(query: Path, samples_run: PipelineRun, gold: Gold):
    rows = rows_as_dicts(samples_run.warehouse, query.read_text(encoding="utf-8"))
    assert rows, f"{query.name} returns nothing on the samples"
    CHECKS[query.stem](rows, gold, samples_run)


def test_published_file_holds_marts_and_audit_only(samples_run: PipelineRun):
    schemas = {schema for (schema,) in samples_run.query("select distinct table_schema from information_schema.tables")}
    assert schemas == {"marts", "audit"}


@pytest.mark.parametrize("table", [*CONTRACT_MARTS, *ANALYST_MARTS])
def test_mart_is_published_and_filled(table: str, samples_run: PipelineRun):
    [(count,)] = samples_run.query(f"select count(*) from marts.{table}")
    assert count > 0


def test_consensus_marts_cover_every_rated_target(samples_run: PipelineRun, gold: Gold):
    companies = {code for (code,) in samples_run.query("select ticker from marts.company_consensus")}
    industries = {name for (name,) in samples_run.query("select name_cn from marts.industry_consensus")}
    assert companies == {r.target for r in gold.ratings if r.scope == "company" and r.target}
    assert industries == {r.target for r in gold.ratings if r.scope == "industry" and r.target}


def test_rating_changes_follow_each_brokers_history(samples_run: PipelineRun, gold: Gold):
    rows = samples_run.query("""
        select c.published_at, b.name_en, c.derived_change, c.change_type
        from marts.fct_rating_change c join marts.dim_broker b using (broker_id)""")
    assert sorted(rows) == sorted(
        (c.rating.published_at, c.rating.broker, c.derived_change, c.change_type) for c in gold.changes
    )


def test_weekly_activity_counts_every_report_once(samples_run: PipelineRun, gold: Gold):
    rows = samples_run.query("""
        select b.name_en, sum(a.n_reports) from marts.report_activity_weekly a
        left join marts.dim_broker b using (broker_id) group by 1""")
    assert dict(rows) == Counter(report["report"]["broker_en"] for report in gold.reports)


def test_theme_recommendations_by_month(samples_run: PipelineRun, gold: Gold):
    rows = samples_run.query("""select year_month, sum(n_reports) from marts.theme_recommendations_monthly
                                group by 1""")
    # one row per month x theme x company: summed, n_reports counts each report's distinct (theme, company)
    month_of = {
        (report["file"], theme.lower(), name_key(company)): gold.published_at(report).strftime("%Y-%m")
        for report, theme, company in gold.recommendations()
    }
    assert dict(rows) == Counter(month_of.values())


def test_forecast_series_has_each_company_reports_forecasts(samples_run: PipelineRun, gold: Gold):
    companies = {
        code
        for (code,) in samples_run.query("""
        select c.ticker from marts.forecast_series s join marts.dim_company c using (company_id)
        where s.is_forecast""")
    }
    assert companies == {
        r["report"]["subject_company"]["code"] for r in gold.reports if r["report"]["report_type"] == "company"
    }


# --- estimates and figure measures (queries 12-15, marts fct_estimate and estimate_consensus) ----------------
# Expectations from the gold metrics (measure / change_basis / direction / year / value), each placed in the
# claim that states it (the first claim, from the previous metric's on, whose text contains it).

AI_BUILDOUT = re.compile(
    r"\bai\b|artificial intelligence|computing power|\bcompute\b|data cent(?:er|re)|\bcloud\b"
    r"|inference|\bgpus?\b|\bservers?\b|算力|智算|人工智能|数据中心",
    re.IGNORECASE,
)
HUMANOID = re.compile(r"humanoid|人形机器人", re.IGNORECASE)
FORECAST_HEADING = re.compile(r"forecast|valuation|estimate|outlook|预测|估值|展望", re.IGNORECASE)
ESTIMATE_STALE_AFTER = timedelta(
    days=yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text())["vars"].get("estimate_stale_days", STALE_AFTER.days)
)


def metrics_in_claims(report: dict) -> list[tuple[dict, dict]]:
    """(metric, claim) of every gold metric found in a claim, in reading order."""
    placed, start = [], 0
    claims = report["claims"]
    for metric in report["metrics"]:
        order = [*range(start, len(claims)), *range(start)]
        index = next((i for i in order if metric["text"] in claims[i]["text"]), None)
        if index is not None:
            placed.append((metric, claims[index]))
            start = index
    return placed


def heading(claim: dict) -> str:
    return " ".join(filter(None, (claim["section"], claim["subsection"])))


def signed(metric: dict) -> float:
    return -metric["value"] if metric["direction"] == "down" else metric["value"]


def sig(value: float | None) -> float | None:
    """A figure to 9 significant digits: 67.6 billion read from text may be 67599999999.99999."""
    return None if value is None else float(f"{value:.9g}")


@dataclass(frozen=True)
class GoldEstimate:
    code: str
    broker: str
    published_at: datetime
    measure: str
    year: int | None
    unit: str
    per: str | None
    value: float


def gold_estimates(gold: Gold) -> list[GoldEstimate]:
    """The first forecast level per report and series of every company report (see fct_estimate)."""
    estimates = []
    for report in gold.reports:
        subject, published = report["report"]["subject_company"], gold.published_at(report)
        if subject is None:
            continue
        seen = set()
        for metric, claim in metrics_in_claims(report):
            if metric["change_basis"] != "level" or not (
                (metric["year"] or 0) > published.year or FORECAST_HEADING.search(heading(claim))
            ):
                continue
            per = None if metric["measure"] == "target_price" else metric["per"]
            series = (metric["measure"], metric["year"], metric["unit"], per)
            if series not in seen:
                seen.add(series)
                estimates.append(
                    GoldEstimate(subject["code"], report["report"]["broker_en"], published, *series, signed(metric))
                )
    return sorted(estimates, key=lambda e: e.published_at)


def previous_estimate(estimate: GoldEstimate, estimates: list[GoldEstimate]) -> GoldEstimate | None:
    earlier = [
        e
        for e in estimates
        if e.published_at < estimate.published_at
        and e.broker == estimate.broker
        and (e.code, e.measure, e.year, e.unit, e.per)
        == (estimate.code, estimate.measure, estimate.year, estimate.unit, estimate.per)
    ]
    return earlier[-1] if earlier else None


def check_ai_capex(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    expected = Counter(
        (
            gold.published_at(report),
            metric["value"],
            metric["year"],
            metric["unit"],
            metric["change_basis"],
            metric["direction"],
        )
        for report in gold.reports
        for metric, claim in metrics_in_claims(report)
        if metric["measure"] == "capex" and AI_BUILDOUT.search(f"{claim['text']} {claim['subsection']}")
    )
    assert (
        Counter(
            (r["published_at"], r["value"], r["fiscal_year"], r["unit"], r["change_basis"], r["direction"])
            for r in rows
        )
        == expected
    )
    assert all(r["signed_value"] == (-r["value"] if r["direction"] == "down" else r["value"]) for r in rows)


def check_humanoid_market_size(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    expected = Counter(
        (gold.published_at(report), report["report"]["broker_en"], metric["year"], metric["value"], metric["unit"])
        for report in gold.reports
        for metric, claim in metrics_in_claims(report)
        if metric["measure"] == "market_size" and HUMANOID.search(f"{claim['text']} {claim['subsection']}")
    )
    assert Counter((r["published_at"], r["broker"], r["fiscal_year"], r["value"], r["unit"]) for r in rows) == expected


def check_net_profit_estimate_revisions(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    estimates = gold_estimates(gold)
    chosen = [e for e in estimates if (e.code, e.measure, e.year) == ("300308", "net_profit", 2025)]
    expected = []
    for estimate in chosen:
        previous = previous_estimate(estimate, estimates)
        # consensus on the estimate's date: each broker's latest estimate of the series, if not stale
        latest = {e.broker: e for e in chosen if e.published_at.date() <= estimate.published_at.date()}
        current = [
            e.value
            for e in latest.values()
            if e.published_at.date() >= estimate.published_at.date() - ESTIMATE_STALE_AFTER
        ]
        expected.append(
            (
                estimate.published_at.date(),
                estimate.broker,
                round(estimate.value / 1e6),
                previous and round(previous.value / 1e6),
                previous and round((estimate.value - previous.value) / 1e6),
                len(current),
                round(statistics.mean(current) / 1e6),
            )
        )
    assert sorted(
        (
            r["published_date"],
            r["broker"],
            round(r["net_profit_bn"] * 1e3),
            None if r["previous_net_profit_bn"] is None else round(r["previous_net_profit_bn"] * 1e3),
            None if r["revision_bn"] is None else round(r["revision_bn"] * 1e3),
            r["consensus_n_brokers"],
            round(r["consensus_mean_bn"] * 1e3),
        )
        for r in rows
    ) == sorted(expected)


def check_net_profit_falls(rows: list[dict], gold: Gold, run: PipelineRun) -> None:
    latest: dict[str, dict] = {}
    for report in sorted(gold.reports, key=gold.published_at):
        if report["report"]["subject_company"]:
            latest[report["report"]["subject_company"]["code"]] = report
    expected = Counter(
        (code, gold.published_at(report).date(), report["report"]["broker_en"], signed(metric), metric["unit"])
        for code, report in latest.items()
        for metric, claim in metrics_in_claims(report)
        if (metric["measure"], metric["change_basis"], metric["direction"]) == ("net_profit", "yoy", "down")
        and (metric["year"] is None or metric["year"] <= gold.published_at(report).year)
        and not FORECAST_HEADING.search(heading(claim))
    )
    assert Counter((r["ticker"], r["published_date"], r["broker"], r["fall"], r["unit"]) for r in rows) == expected
    assert all(r["fall"] < 0 for r in rows)
    assert [r["fall"] for r in rows] == sorted(r["fall"] for r in rows)


CHECKS.update(
    {
        "12_ai_capex_figures": check_ai_capex,
        "13_humanoid_robot_market_size": check_humanoid_market_size,
        "14_net_profit_2025_estimate_revisions": check_net_profit_estimate_revisions,
        "15_net_profit_falls_latest_results": check_net_profit_falls,
    }
)


@pytest.mark.parametrize("table", ["fct_estimate", "estimate_consensus"])
def test_estimate_mart_is_published_and_filled(table: str, samples_run: PipelineRun):
    [(count,)] = samples_run.query(f"select count(*) from marts.{table}")
    assert count > 0


def test_estimates_are_the_company_reports_forecasts(samples_run: PipelineRun, gold: Gold):
    rows = samples_run.query("""
        select c.ticker, b.name_en, e.published_at, e.measure, e.fiscal_year, e.unit, e.per_unit, e.value,
               e.previous_value
        from marts.fct_estimate e join marts.dim_company c using (company_id)
        left join marts.dim_broker b using (broker_id)""")
    estimates = gold_estimates(gold)
    expected = Counter(
        (
            e.code,
            e.broker,
            e.published_at,
            e.measure,
            e.year,
            e.unit,
            e.per,
            sig(e.value),
            sig((previous := previous_estimate(e, estimates)) and previous.value),
        )
        for e in estimates
    )
    assert Counter((*row[:7], sig(row[7]), sig(row[8])) for row in rows) == expected


def test_estimate_consensus_follows_each_brokers_latest_current_estimate(samples_run: PipelineRun, gold: Gold):
    """Every date a series' consensus changed (an estimate published, or one gone stale up to the latest
    report), with the number of brokers and the mean of their latest current estimates."""
    rows = samples_run.query("""
        select c.ticker, s.measure, s.fiscal_year, s.unit, s.per_unit, s.as_of_date, s.n_brokers, s.mean_value
        from marts.estimate_consensus s join marts.dim_company c using (company_id)""")
    estimates, reference = gold_estimates(gold), gold.reference_at.date()
    series: dict[tuple, list[GoldEstimate]] = defaultdict(list)
    for estimate in estimates:
        series[estimate.code, estimate.measure, estimate.year, estimate.unit, estimate.per].append(estimate)
    expected = set()
    for key, history in series.items():
        dates = {e.published_at.date() for e in history}
        for estimate in history:  # the day it goes stale, unless the broker replaced it before
            expires = estimate.published_at.date() + ESTIMATE_STALE_AFTER + timedelta(days=1)
            later = [e for e in history if e.broker == estimate.broker and e.published_at > estimate.published_at]
            if not later or min(later, key=lambda e: e.published_at).published_at.date() > expires:
                dates.add(expires)
        for day in sorted(d for d in dates if d <= reference):
            latest = {e.broker: e for e in history if e.published_at.date() <= day}
            current = [e.value for e in latest.values() if e.published_at.date() >= day - ESTIMATE_STALE_AFTER]
            if latest:
                expected.add((*key, day, len(current), sig(statistics.mean(current)) if current else None))
    assert {(*row[:7], sig(row[7])) for row in rows} == expected


def test_every_metric_value_is_the_nearest_double_to_its_stated_digits(samples_run: PipelineRun):
    """No value in fct_metric differs from the round trip of the digits its raw text states ("67.6 billion")."""
    rows = samples_run.query("select metric_id, raw_text, value, value_high from marts.fct_metric")
    assert rows
    for metric_id, raw_text, value, value_high in rows:
        assert value in stated_values(raw_text), (metric_id, raw_text, value)
        assert value_high is None or value_high in stated_values(raw_text), (metric_id, raw_text, value_high)
