"""dbt build on a small hand-made raw dataset: resolution, rating history, consensus, incremental runs."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from pipelines.core import build_db
from pipelines.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration

FIRST_LOAD = datetime(2025, 3, 2, 1, 0)
SECOND_LOAD = datetime(2025, 3, 3, 1, 0)

# The test's own reference companies, so results do not depend on the real seed's contents.
COMPANIES_CSV = """company_id,name_en,name_cn,ticker,exchange,aliases
innolight,Innolight,中际旭创,300308,SZSE,Zhongji Innolight|旭创
tencent,Tencent Holdings,腾讯控股,00700,HKEX,Tencent
"""

# report_id -> (broker as written, published_at, industry, report_type, subject name, subject code)
REPORTS = {
    "r01": ("东吴证券", "2025-01-10 08:00", "通信", "company", "中际旭创", "300308"),
    "r02": ("东吴证券研究所", "2025-03-01 08:00", "通信", "company", "中际旭创", "300308"),
    "r03": ("华泰", "2025-02-20 08:00", "通信", "company", "中际旭创", "300308"),
    "r04": ("中信证券", "2024-06-01 08:00", "通信", "company", "中际旭创", "300308"),
    "r05": ("神秘证券", "2025-02-15 08:00", "计算机", "industry", None, None),
    "r06": ("民生证券", "2025-02-16 08:00", "计算机", "industry", None, None),
    "r07": ("招商证券", "2025-02-17 08:00", "电子", "company", "海光信息", "688041"),
    "r08": ("招商证券", "2025-02-18 08:00", "电子", "company", "贝特瑞", "835185"),
}
# Loaded by the incremental run only: a rating inside Soochow's Innolight series (between r01 and
# r02) and a report newer than all others, which moves the reference date.
LATER_REPORTS = {
    "r09": ("东吴证券", "2025-02-01 08:00", "通信", "company", "中际旭创", "300308"),
    "r10": ("华泰证券", "2025-03-20 08:00", "电子", "company", "海光信息", "688041"),
}

# report_id -> (scope, rating as written, action as written)
RATINGS = {
    "r01": ("company", "Buy", "First Coverage"),
    "r02": ("company", "Neutral", "Maintained"),  # a downgrade the report calls "Maintained"
    "r03": ("company", "Overweight", "维持"),
    "r04": ("company", "Sell", "Maintained"),  # 273 days before the reference date: stale
    "r05": ("industry", "Superb", "Maintained"),  # wording no seed knows
    "r06": ("industry", "推荐", "首次覆盖"),  # 民生证券's 推荐 is its top rating
    "r07": ("company", "强烈推荐", "上调"),
    "r09": ("company", "Buy", "Maintained"),
    "r10": ("company", "Sell", "下调"),
}


def report_rows(ids: Iterable[str]) -> list[dict]:
    rows = []
    for report_id in ids:
        broker, published, industry, report_type, subject, code = (REPORTS | LATER_REPORTS)[report_id]
        rows.append(
            {
                "report_id": report_id,
                "broker_raw": broker,
                "published_at": published,
                "industry_raw": industry,
                "title": f"{subject or industry}报告 {report_id}",
                "report_type": report_type,
                "subject_company_name_cn": subject,
                "subject_company_code": code,
            }
        )
    return rows


def claim_rows(report_id: str, n_claims: int) -> list[dict]:
    return [
        {
            "report_id": report_id,
            "claim_seq": seq,
            "section": "Core Views",
            "subsection": None,
            "claim_text": f"Claim {seq} of {report_id}: Innolight revenue of 10 billion yuan",
            "cited_pages": [seq],
            "char_start": 100 * seq,
            "char_end": 100 * seq + 50,
        }
        for seq in range(1, n_claims + 1)
    ]


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], loaded_at: datetime) -> None:
    """Insert rows into raw.<table> the way the loader does: stamped with version and load time."""
    for row in rows:
        stamped = {**row, "extractor_version": "test", "loaded_at": loaded_at}
        columns = ", ".join(stamped)
        marks = ", ".join("?" for _ in stamped)
        con.execute(f"insert into raw.{table} ({columns}) values ({marks})", list(stamped.values()))


def content_sha256(report_id: str) -> str:
    """A stand-in for the hash of a report's bytes, shaped like one (dim_report tests the shape)."""
    return hashlib.sha256(report_id.encode()).hexdigest()


def load_reports(db: Path, ids: Iterable[str], loaded_at: datetime, n_claims: int = 2) -> None:
    """(Re)load reports as the pipeline does: their old raw rows replaced, files marked loaded."""
    ids = list(ids)
    with build_db.connect(db) as con:
        for table in build_db.RAW_TABLES:
            con.execute(f"delete from raw.{table} where report_id in (select unnest(?))", [ids])
        insert(con, "reports", report_rows(ids), loaded_at)
        for report_id in ids:
            insert(con, "claims", claim_rows(report_id, n_claims), loaded_at)
            insert(
                con,
                "metrics",
                [
                    {
                        "report_id": report_id,
                        "claim_seq": 1,
                        "metric_seq": 1,
                        "raw_text": "10 billion yuan",
                        "value": 1e10,
                        "unit": "CNY",
                        "measure": "revenue",
                        "change_basis": "level",
                        "metric_kind": "revenue",
                        "is_forecast": False,
                        "char_start": 130,
                        "char_end": 145,
                    }
                ],
                loaded_at,
            )
            insert(
                con,
                "entity_mentions",
                [
                    {
                        "report_id": report_id,
                        "claim_seq": 1,
                        "entity_name": "innolight",
                        "char_start": 120,
                        "char_end": 129,
                    },
                    {
                        "report_id": report_id,
                        "claim_seq": 1,
                        "entity_name": "Nobody Optics",
                        "char_start": 100,
                        "char_end": 113,
                    },
                ],
                loaded_at,
            )
            if report_id in RATINGS:
                scope, rating, action = RATINGS[report_id]
                insert(
                    con,
                    "ratings",
                    [
                        {
                            "report_id": report_id,
                            "scope": scope,
                            "rating_raw": rating,
                            "action_raw": action,
                            "cited_pages": [1],
                        }
                    ],
                    loaded_at,
                )
            con.execute(
                """insert into audit.files (source_file, content_sha256, size_bytes, received_at,
                           status, report_id, mtime_ns) values (?, ?, 10, ?, 'loaded', ?, 0)""",
                [f"{report_id}.txt", content_sha256(report_id), loaded_at, report_id],
            )
        if "r01" in ids:
            insert(
                con,
                "recommendations",
                [
                    {
                        "report_id": "r01",
                        "theme_seq": 1,
                        "theme": "Optical modules",
                        "company_seq": 1,
                        "company_name_raw": "INNOLIGHT",
                        "cited_pages": [3],
                    },
                    {
                        "report_id": "r01",
                        "theme_seq": 1,
                        "theme": "Optical modules",
                        "company_seq": 2,
                        "company_name_raw": "Nobody Optics",
                        "cited_pages": [3],
                    },
                ],
                loaded_at,
            )


def run_dbt(project: Path, db: Path, *args: str) -> None:
    result = dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--vars",
            json.dumps({"build_db": str(db)}),
            "--quiet",
        ]
    )
    assert result.success, result.exception or result.result


def query(db: Path, sql: str, params: Iterable = ()) -> list[tuple]:
    # Not read-only: in-process dbt-duckdb keeps the file open read-write, and DuckDB refuses a
    # second connection to it with a different configuration.
    with build_db.connect(db) as con:
        return con.execute(sql, list(params)).fetchall()


def mart_rows(db: Path) -> dict[str, list[tuple]]:
    """The rows of every mart (tables and views), sorted, without built_at (when dbt wrote the row)."""
    marts = query(
        db,
        """
        select table_name, bool_or(column_name = 'built_at') from information_schema.columns
        where table_schema = 'marts' group by 1 order by 1""",
    )
    return {
        name: query(db, f"select * {'exclude (built_at)' if has_built_at else ''} from marts.{name} order by all")
        for name, has_built_at in marts
    }


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """A built warehouse: all reports loaded once, then dbt build."""
    root = tmp_path_factory.mktemp("dbt")
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "seeds" / "companies.csv").write_text(COMPANIES_CSV, encoding="utf-8")
    db = root / "build.duckdb"
    build_db.initialize(db)
    with build_db.connect(db) as con:  # copies received earlier than the loaded file must not win
        con.execute("""insert into audit.files (source_file, size_bytes, received_at, status, reason,
                       mtime_ns) values ('garbage.bin', 3, '2025-01-01', 'quarantined', 'not text', 0)""")
        con.execute(
            """insert into audit.files (source_file, content_sha256, size_bytes, received_at, status,
                       report_id, mtime_ns) values ('r01 copy.txt', ?, 10, '2025-03-09', 'duplicate', 'r01', 0)""",
            [content_sha256("r01")],
        )
    load_reports(db, REPORTS, FIRST_LOAD)
    run_dbt(project, db, "build")
    return db


def test_report_resolution(warehouse):
    rows = dict(query(warehouse, "select report_id, broker_id from marts.dim_report"))
    assert rows["r01"] == rows["r02"] == "soochow-securities"  # exact name, and prefix 东吴证券研究所
    assert rows["r03"] == "huatai-securities"  # alias
    assert query(warehouse, "select source_file, industry_id from marts.dim_report where report_id = 'r01'") == [
        ("r01.txt", "801770")
    ]


def test_unknown_broker_is_kept_and_flagged(warehouse):
    [(broker_id, resolved)] = query(
        warehouse,
        """
        select b.broker_id, b.is_resolved from marts.dim_report r join marts.dim_broker b using (broker_id)
        where r.report_id = 'r05'""",
    )
    assert broker_id.startswith("unresolved-") and resolved is False
    assert query(warehouse, "select name_cn from marts.dim_broker where broker_id = ?", [broker_id]) == [("神秘证券",)]


def test_missing_subject_companies_are_added_with_exchange(warehouse):
    rows = query(
        warehouse,
        """
        select r.report_id, c.company_id, c.ticker, c.exchange, c.is_in_reference from marts.dim_report r
        join marts.dim_company c on c.company_id = r.subject_company_id order by r.report_id""",
    )
    by_report = {row[0]: row[1:] for row in rows}
    assert by_report["r01"] == ("innolight", "300308", "SZSE", True)
    assert by_report["r07"][1:] == ("688041", "SSE", False)
    assert by_report["r08"][1:] == ("835185", "BSE", False)


def test_rating_mapping_with_broker_override_and_unmapped_wording(warehouse):
    rows = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
        select report_id, rating_std, rating_score, action_std, is_rating_mapped from marts.fct_rating""",
        )
    }
    assert rows["r06"] == ("strong_buy", 1, "initiate", True)  # 民生证券 推荐 = top rating
    assert rows["r07"] == ("strong_buy", 1, "upgrade", True)
    assert rows["r03"] == ("buy", 2, "maintain", True)
    assert rows["r05"] == (None, None, "maintain", False)


def test_downgrade_is_derived_and_disagreement_flagged(warehouse):
    [row] = query(
        warehouse,
        """
        select previous_report_id, derived_change, stated_change, change_type, is_disagreement
        from marts.fct_rating_change where report_id = 'r02'""",
    )
    assert row == ("r01", "downgrade", "reiteration", "downgrade", True)
    assert query(warehouse, "select derived_change from marts.fct_rating_change where report_id = 'r01'") == [
        ("initiation",)
    ]


def test_stale_rating_is_left_out_of_consensus(warehouse):
    [row] = query(
        warehouse,
        """
        select reference_date, n_brokers, mean_rating_score, n_hold, n_buy, n_sell, n_stale_brokers,
               n_downgrades_30d from marts.company_consensus where company_id = 'innolight'""",
    )
    # Soochow's latest is Neutral (3), Huatai's Overweight (2); CITIC's Sell of 2024-06-01 is stale.
    assert row == (datetime(2025, 3, 1).date(), 2, 2.5, 1, 1, 0, 1, 1)


def test_names_resolve_case_insensitively_and_unresolved_are_kept(warehouse):
    rows = query(
        warehouse,
        """select company_name_raw, company_id, is_company_resolved
                               from marts.fct_recommendation order by company_seq""",
    )
    assert rows == [("INNOLIGHT", "innolight", True), ("Nobody Optics", None, False)]
    assert set(
        query(
            warehouse,
            """select entity_name, company_id, is_company_resolved
                                   from marts.fct_entity_mention""",
        )
    ) == {("innolight", "innolight", True), ("Nobody Optics", None, False)}


def test_incremental_run_equals_full_refresh(warehouse):
    """Every mart, contract and analysis, built incrementally equals a --full-refresh on the same data."""
    project = warehouse.parent / "dbt_project"
    # Re-extraction of r01 with one claim fewer; r05 quarantined (its raw rows removed); r09 lands
    # inside a rating series, r10 after every other report; a company joins the reference seed.
    load_reports(warehouse, ["r01"], SECOND_LOAD, n_claims=1)
    with build_db.connect(warehouse) as con:
        for table in build_db.RAW_TABLES:
            con.execute(f"delete from raw.{table} where report_id = 'r05'")
    load_reports(warehouse, LATER_REPORTS, SECOND_LOAD)
    (project / "seeds" / "companies.csv").write_text(COMPANIES_CSV + "nobody,Nobody Optics,,,,\n", encoding="utf-8")
    run_dbt(project, warehouse, "build")
    incremental = mart_rows(warehouse)
    run_dbt(project, warehouse, "build", "--full-refresh")
    full_refresh = mart_rows(warehouse)
    assert {"dim_report", "fct_rating_change", "company_consensus", "report_activity_weekly"} <= set(incremental)
    for mart, rows in full_refresh.items():
        assert incremental[mart] == rows, mart
    claims = query(warehouse, "select report_id, count(*) from marts.fct_claim group by 1")
    assert ("r01", 1) in claims and "r05" not in {report_id for report_id, _ in claims}
    # r02's previous rating is now r09's (Buy -> Neutral), and the reference seed change resolved Nobody Optics.
    assert query(warehouse, "select previous_report_id from marts.fct_rating_change where report_id = 'r02'") == [
        ("r09",)
    ]
    assert query(warehouse, "select company_id from marts.fct_recommendation where company_seq = 2") == [("nobody",)]
