"""The company reference seed: keys, listings and names that dbt and the extractor resolve against."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.extraction.reference import company_names, read_seed

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples"
# The exchange vocabulary of the warehouse contract (and the marts_dim_company expectation suite).
EXCHANGES = {
    "SSE",
    "SZSE",
    "BSE",
    "HKEX",
    "NASDAQ",
    "NYSE",
    "NYSEAMERICAN",
    "LSE",
    "XETRA",
    "EURONEXT",
    "SIX",
    "TSE",
    "KRX",
    "TWSE",
    "TSX",
    "ASX",
    "SGX",
}
# A company report title names its subject as 名(代码), with ASCII or full-width brackets.
SUBJECT_IN_TITLE = re.compile(r"([\u4e00-\u9fff]+)[(（](\d{5,6})[)）]")


@pytest.fixture(scope="module")
def companies() -> list[dict]:
    return read_seed("companies").to_dicts()


def names_of(row: dict) -> set[str]:
    """The keys dbt matches names on: trimmed, whitespace collapsed, case-folded."""
    names = [row["name_en"], row["name_cn"], *(row["aliases"] or "").split("|")]
    return {re.sub(r"\s+", " ", name.strip()).lower() for name in names if name and name.strip()}


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def test_columns_are_the_contract() -> None:
    columns = read_seed("companies").columns
    assert columns == ["company_id", "name_en", "name_cn", "ticker", "exchange", "aliases"]


def test_company_id_is_unique_and_present(companies: list[dict]) -> None:
    ids = [row["company_id"] for row in companies]
    assert all(ids) and len(ids) == len(set(ids))


def test_every_row_has_an_english_name(companies: list[dict]) -> None:
    assert all(row["name_en"] and row["name_en"].strip() == row["name_en"] for row in companies)


def test_listed_company_id_is_ticker_dot_exchange(companies: list[dict]) -> None:
    listed = [row for row in companies if row["ticker"]]
    assert listed
    assert all(row["company_id"] == f"{row['ticker']}.{row['exchange']}" for row in listed)


def test_unlisted_company_id_is_slug_of_english_name(companies: list[dict]) -> None:
    for row in companies:
        if not row["ticker"]:
            assert row["exchange"] is None
            assert row["company_id"] == re.sub(r"[^a-z0-9]+", "-", row["name_en"].lower()).strip("-")


def test_ticker_and_exchange_pair_is_unique(companies: list[dict]) -> None:
    pairs = [(row["ticker"], row["exchange"]) for row in companies if row["ticker"]]
    assert len(pairs) == len(set(pairs))


def test_exchanges_come_from_the_vocabulary(companies: list[dict]) -> None:
    assert {row["exchange"] for row in companies if row["exchange"]} <= EXCHANGES


@pytest.mark.parametrize("prefix, exchange", [("60", "SSE"), ("68", "SSE"), ("00", "SZSE"), ("30", "SZSE")])
def test_a_share_code_prefix_matches_exchange(companies: list[dict], prefix: str, exchange: str) -> None:
    a_shares = [row for row in companies if row["exchange"] in {"SSE", "SZSE", "BSE"}]
    assert all(row["exchange"] == exchange for row in a_shares if row["ticker"].startswith(prefix))


def test_mainland_and_hong_kong_tickers_have_their_code_shape(companies: list[dict]) -> None:
    for row in companies:
        if row["exchange"] in {"SSE", "SZSE", "BSE"}:
            assert re.fullmatch(r"\d{6}", row["ticker"]), row
        if row["exchange"] == "HKEX":
            assert re.fullmatch(r"\d{5}", row["ticker"]), row


def test_no_name_or_alias_is_shared_by_two_companies(companies: list[dict]) -> None:
    # dbt resolves a shared name to neither company, so a collision silently loses mentions.
    owner: dict[str, str] = {}
    for row in companies:
        for name in names_of(row):
            assert owner.setdefault(name, row["company_id"]) == row["company_id"], name


def test_every_subject_company_in_the_sample_titles_resolves(companies: list[dict]) -> None:
    by_ticker = {row["ticker"]: row for row in companies if row["ticker"]}
    subjects = [
        match.groups()
        for path in sorted(SAMPLES_DIR.glob("*.txt"))
        for match in SUBJECT_IN_TITLE.finditer(decode(path.read_bytes()))
    ]
    assert len(subjects) >= 10
    for title_prefix, code in subjects:
        assert code in by_ticker, code
        # the title line runs the industry into the name: 公用事业长江电力
        assert title_prefix.endswith(by_ticker[code]["name_cn"]), (title_prefix, code)


def test_company_names_loader_lists_names_and_aliases_longest_first() -> None:
    names = company_names()
    assert {"NVIDIA", "Nvidia", "英伟达", "Hygon", "Hygon Information Technology"} <= set(names)
    assert [len(name) for name in names] == sorted((len(name) for name in names), reverse=True)
    assert "" not in names
