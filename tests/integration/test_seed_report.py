"""The whole job on the seed report alone, checked field by field against its gold file."""

from __future__ import annotations

import json

import pytest

from tests.conftest import GOLD, SAMPLES, SEED_REPORT
from tests.integration.conftest import copy_reports, run_pipeline

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    return run_pipeline(copy_reports([SAMPLES / SEED_REPORT], root / "inbox"), root / "home")


@pytest.fixture(scope="module")
def gold():
    return json.loads((GOLD / SEED_REPORT.replace(".txt", ".json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_id(seed_run):
    [(rid,)] = seed_run.query("select report_id from marts.dim_report where source_file = ?", [SEED_REPORT])
    return rid


def test_run_publishes_and_says_so(seed_run):
    assert seed_run.exit_code == 0, seed_run.output
    assert "published:         yes" in seed_run.output
    assert seed_run.query("select files_received, reports_loaded, published from audit.runs") == [(1, 1, True)]
    assert seed_run.query("select status, reason from audit.files") == [("loaded", None)]


def test_report_fields(seed_run, gold, report_id):
    g = gold["report"]
    [row] = seed_run.query(
        """
        select b.name_cn, b.name_en, strftime(r.published_at, '%Y-%m-%d %H:%M'), i.name_cn, r.title,
               r.report_type, r.subject_company_id
        from marts.dim_report r join marts.dim_broker b using (broker_id)
        join marts.dim_industry i using (industry_id) where r.report_id = ?""",
        [report_id],
    )
    assert row == (
        g["broker_cn"],
        g["broker_en"],
        g["published_at"],
        g["industry_cn"],
        g["title_cn"],
        g["report_type"],
        None,
    )


def test_rating(seed_run, gold, report_id):
    g = gold["report"]["rating"]
    rows = seed_run.query(
        """select scope, rating_raw, action_raw, rating_std, rating_score, action_std,
                                    cited_pages from marts.fct_rating where report_id = ?""",
        [report_id],
    )
    assert rows == [(g["scope"], g["raw"], g["action_raw"], g["std"], g["score"], g["action_std"], g["pages"])]


def test_all_claims_with_pages_and_offsets(seed_run, gold, report_id):
    text = (SAMPLES / SEED_REPORT).read_text(encoding="utf-8-sig")
    rows = seed_run.query(
        """select claim_seq, section, subsection, claim_text, cited_pages, char_start, char_end
                             from marts.fct_claim where report_id = ? order by claim_seq""",
        [report_id],
    )
    assert [r[0] for r in rows] == list(range(1, len(gold["claims"]) + 1))
    for (_, section, subsection, claim_text, pages, start, end), g in zip(rows, gold["claims"], strict=True):
        assert (section, subsection, claim_text, pages) == (g["section"], g["subsection"], g["text"], g["pages"])
        assert " ".join(text[start:end].split()) == g["text"]


def test_all_metrics_in_base_units(seed_run, gold, report_id):
    rows = seed_run.query(
        """select value, value_high, unit, per_unit, fiscal_year, qualifier
                             from marts.fct_metric where report_id = ?""",
        [report_id],
    )

    def as_float(value):
        return None if value is None else float(value)

    expected = [
        (as_float(g["value"]), as_float(g["value_high"]), g["unit"], g["per"], g["year"], g["qualifier"])
        for g in gold["metrics"]
    ]
    assert sorted(rows, key=repr) == sorted(expected, key=repr)


def test_recommendation_themes_with_companies_in_order(seed_run, gold, report_id):
    rows = seed_run.query(
        """select theme_seq, theme, company_name_raw, cited_pages from marts.fct_recommendation
                             where report_id = ? order by theme_seq, company_seq""",
        [report_id],
    )
    expected = [
        (seq, g["theme"], company, g["pages"])
        for seq, g in enumerate(gold["recommendations"], start=1)
        for company in g["companies"]
    ]
    assert rows == expected
