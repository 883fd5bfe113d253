"""One Great Expectations Data Docs site per run, under `$RW_HOME/data_docs/<run_id>/`, readable offline.

GX's page templates load Bootstrap, jQuery, Font Awesome and friends from public CDNs, so on a machine
without internet a site is an unstyled page. Each site is rewritten to use copies of exactly those
files, vendored in `vendor/data_docs/` (see its README) and shared by every run in `data_docs/_assets/`;
GX's own static folder (fonts, images) is shared there too instead of being copied into every run.
Only the last `RW_DATA_DOCS_KEEP` runs' sites are kept.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipelines.core import validation
from pipelines.settings import REPO_ROOT

VENDORED_DIR = REPO_ROOT / "vendor" / "data_docs"
ASSETS = "_assets"  # shared by every run's site: vendored files and GX's static folder
DEFAULT_KEEP = 30
DEFAULT_DOCS_PORT = 8580

# What GX 1.24's templates load from the internet -> the vendored copy (same package and version).
# vega/vega-lite/vega-embed draw profiling charts, which these suites never render: their tags are dropped.
VENDORED = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": "bootstrap-prefers-dark.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
}
_DROPPED_SCRIPT = re.compile(r'<script[^>]*src="https://cdn\.jsdelivr\.net/npm/vega[^"]*"[^>]*>\s*</script>\s*')
_GX_WEB_ASSET = re.compile(
    r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/([\w.-]+?)(\?[^\"')]*)?(?=[\"')])"
)
_STATIC_REF = re.compile(r"""(["'(])((?:\.\./)*|\./)static/""")
_REMOTE_REF = re.compile(r"""(?:src|href)=["'](https?://[^"']+)""")


def results_dir(data_docs_dir: Path, run_id: str) -> Path:
    """Where the asset checks of a run keep their GX results."""
    return data_docs_dir / run_id / "results"


def site_index(data_docs_dir: Path, run_id: str) -> Path:
    """The run's Data Docs entry page (exists once `build_run_site` ran)."""
    return data_docs_dir / run_id / "site" / "index.html"


def docs_port() -> int:
    """The port `research-warehouse docs` (`make docs`) serves Data Docs and dbt docs on (`RW_DOCS_PORT`)."""
    return int(os.environ.get("RW_DOCS_PORT") or DEFAULT_DOCS_PORT)


def site_url(run_id: str) -> str:
    """Where the run's Data Docs open while `research-warehouse docs` serves the data_docs folder."""
    return f"http://127.0.0.1:{docs_port()}/{run_id}/site/index.html"


def keep_runs() -> int:
    """How many runs' Data Docs are kept (`RW_DATA_DOCS_KEEP`, default 30)."""
    keep = int(os.environ.get("RW_DATA_DOCS_KEEP") or DEFAULT_KEEP)
    if keep < 1:
        raise ValueError(f"RW_DATA_DOCS_KEEP must be at least 1, not {keep}")
    return keep


def build_run_site(data_docs_dir: Path, run_id: str) -> Path | None:
    """Render every result the run's checks saved into one offline site, and drop the sites of runs
    beyond the last `RW_DATA_DOCS_KEEP`; None when nothing was validated."""
    validations = validation.load_validations(results_dir(data_docs_dir, run_id))
    if not validations:
        return None
    index = validation.build_data_docs(validations, site_index(data_docs_dir, run_id).parent, run_name=run_id)
    make_offline(index.parent, data_docs_dir / ASSETS)
    prune(data_docs_dir, keep_runs(), keep=run_id)
    return index


def _shared_assets(site_dir: Path, assets_dir: Path) -> None:
    """The vendored files and GX's static folder, once for every run."""
    if not (assets_dir / "vendor").exists():
        shutil.copytree(
            VENDORED_DIR, assets_dir / "vendor", ignore=shutil.ignore_patterns("README.md"), dirs_exist_ok=True
        )
    static = site_dir / "static"
    if static.exists():
        if not (assets_dir / "static").exists():
            shutil.copytree(static, assets_dir / "static")
        shutil.rmtree(static)


def offline_html(html: str, to_assets: str) -> str:
    """A Data Docs page with every internet reference replaced by its copy under `to_assets` (a relative
    path to the shared assets folder); a reference nobody vendored is an error, not a silent CDN call."""
    html = _DROPPED_SCRIPT.sub("", html)
    for url, local in VENDORED.items():
        html = html.replace(url, f"{to_assets}/vendor/{local}")
    html = _GX_WEB_ASSET.sub(lambda match: f"{to_assets}/static/images/{match.group(1)}", html)
    html = _STATIC_REF.sub(lambda match: f"{match.group(1)}{to_assets}/static/", html)
    remote = [url for url in _REMOTE_REF.findall(html) if not _is_link_out(url)]
    if remote:
        raise ValueError(f"Data Docs page loads {remote[0]}, which is not vendored (pipelines/core/data_docs.py)")
    return html


def _is_link_out(url: str) -> bool:
    """Links a reader may follow (GX's home page), as opposed to files the page loads."""
    return url.startswith(("https://greatexpectations.io", "https://docs.greatexpectations.io"))


def make_offline(site_dir: Path, assets_dir: Path) -> None:
    """Rewrite every page of `site_dir` (and GX's stylesheet) to load its files from `assets_dir`."""
    _shared_assets(site_dir, assets_dir)
    for page in site_dir.rglob("*.html"):
        to_assets = os.path.relpath(assets_dir, page.parent)
        page.write_text(offline_html(page.read_text(encoding="utf-8"), to_assets), encoding="utf-8")
    for stylesheet in (assets_dir / "static").rglob("*.css"):
        text = stylesheet.read_text(encoding="utf-8")
        stylesheet.write_text(_GX_WEB_ASSET.sub(lambda match: f"../images/{match.group(1)}", text), encoding="utf-8")


def prune(data_docs_dir: Path, keep_count: int, *, keep: str) -> list[Path]:
    """Remove the folders of all but the newest `keep_count` runs (never `keep`); returns what went."""
    runs = sorted(
        (
            folder
            for folder in data_docs_dir.iterdir()
            if folder.is_dir() and folder.name != keep and (folder / "site").is_dir()
        ),
        key=lambda folder: folder.stat().st_mtime,
        reverse=True,
    )
    removed = runs[keep_count - 1 :]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass  # a line per file request drowns the one line that says where the docs are


def server(data_docs_dir: Path, port: int) -> ThreadingHTTPServer:
    """An HTTP server of `data_docs_dir` on 127.0.0.1 only (run sites, shared assets, dbt docs in `dbt/`)."""
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    return ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_QuietHandler, directory=str(data_docs_dir)))
