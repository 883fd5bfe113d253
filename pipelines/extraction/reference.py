"""Reference data shared with dbt: the seed CSVs under `dbt_project/seeds` are the one source."""

from __future__ import annotations

from functools import cache

import polars as pl

from pipelines.settings import SEEDS_DIR


def read_seed(name: str) -> pl.DataFrame:
    """A seed CSV as a frame of strings (codes such as 000001 keep their leading zeros)."""
    return pl.read_csv(SEEDS_DIR / f"{name}.csv", infer_schema=False)


@cache
def industry_names_cn() -> tuple[str, ...]:
    """Shenwan level-1 industry names in Chinese, longest first so prefixes match greedily."""
    names = read_seed("shenwan_industries")["name_cn"].to_list()
    return tuple(sorted(names, key=len, reverse=True))


@cache
def company_names() -> tuple[str, ...]:
    """Every name a reference company goes by (name_en, name_cn, aliases), longest first."""
    companies = read_seed("companies")
    names = {
        name.strip()
        for row in companies.iter_rows(named=True)
        for name in (row["name_en"], row["name_cn"], *(row["aliases"] or "").split("|"))
        if name and name.strip()
    }
    return tuple(sorted(names, key=lambda name: (-len(name), name)))
