"""Data Docs offline: every file a GX page loads comes from the vendored copies; old runs are pruned."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipelines.core import data_docs

GX_TEMPLATES = Path(__import__("great_expectations").__file__).parent / "render" / "view" / "templates"


def test_every_file_the_gx_templates_load_from_the_internet_is_vendored_or_dropped() -> None:
    urls = set()
    for template in GX_TEMPLATES.rglob("*.j2"):
        urls |= set(re.findall(r"""(?:src|href)=["'](https://[^"'{}]+)["']""", template.read_text(encoding="utf-8")))
    loaded = {url for url in urls if not data_docs._is_link_out(url)}
    rewritten = data_docs.offline_html("\n".join(f'<script src="{url}"></script>' for url in sorted(loaded)), "A")
    assert "https://" not in rewritten
    for local in data_docs.VENDORED.values():
        assert (data_docs.VENDORED_DIR / local).is_file(), local


def test_a_page_is_rewritten_to_relative_local_paths() -> None:
    html = (
        '<link href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css" rel="stylesheet">'
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1">'
        '<link rel="icon" href="../../static/images/favicon.ico">'
        '<a href="https://greatexpectations.io">GX</a>'
    )
    assert data_docs.offline_html(html, "../../_assets") == (
        '<link href="../../_assets/vendor/bootstrap.min.css" rel="stylesheet">'
        '<img src="../../_assets/static/images/logo-long.png">'
        '<link rel="icon" href="../../_assets/static/images/favicon.ico">'
        '<a href="https://greatexpectations.io">GX</a>'
    )


def test_an_unknown_remote_file_is_an_error_not_a_silent_cdn_call() -> None:
    with pytest.raises(ValueError, match="not vendored"):
        data_docs.offline_html('<script src="https://unpkg.com/something@1/x.js"></script>', "A")


def test_only_the_newest_runs_are_kept(tmp_path: Path) -> None:
    for age, run_id in enumerate(["r5", "r4", "r3", "r2", "r1"]):  # r1 oldest
        (tmp_path / run_id / "site").mkdir(parents=True)
        os.utime(tmp_path / run_id, (1000 - age, 1000 - age))
    (tmp_path / data_docs.ASSETS).mkdir()
    (tmp_path / "dbt").mkdir()
    removed = data_docs.prune(tmp_path, 3, keep="r1")
    assert sorted(path.name for path in removed) == ["r2", "r3"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [data_docs.ASSETS, "dbt", "r1", "r4", "r5"]


def test_the_link_points_at_the_local_docs_server(monkeypatch) -> None:
    monkeypatch.setenv("RW_DOCS_PORT", "9123")
    assert data_docs.site_url("abc") == "http://127.0.0.1:9123/abc/site/index.html"
