"""Where everything lives: the one source of truth for paths, configured by environment.

`RW_INBOX` is the folder reports arrive in; `RW_HOME` holds the landing store, the build
database, staged extraction batches, Data Docs and the published warehouse. The landing store and
the staged batches may live on shared object storage instead (`RW_LANDING_URL`, `RW_STAGING_URL`),
so that extraction can run on the workers of a Dask cluster (`RW_DASK_SCHEDULER`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.core.storage import Location, is_remote, location

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# Reference data (brokers, industries, companies, rating scale): dbt loads it, extraction reads it.
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
DEFAULT_SETTLE_SECONDS = 2.0
# Most reports per extraction batch: a worker holds one batch (texts, frames, GX's pandas copy) at a
# time, about 0.3 GB for 5,000 reports; GX's fixed cost per batch makes small batches slow.
DEFAULT_BATCH_SIZE = 5000
DEFAULT_INBOX = "data/inbox"
DEFAULT_HOME = "var"

# The environment variable behind each Settings field; the Dagster resource reads the same names.
ENV_VARS = {
    "inbox": "RW_INBOX",
    "home": "RW_HOME",
    "max_file_bytes": "RW_MAX_FILE_BYTES",
    "settle_seconds": "RW_SETTLE_SECONDS",
    "workers": "RW_WORKERS",
    "batch_size": "RW_BATCH_SIZE",
    "landing_url": "RW_LANDING_URL",
    "staging_url": "RW_STAGING_URL",
    "dask_scheduler": "RW_DASK_SCHEDULER",
}


def duckdb_memory_limit() -> str:
    """Memory DuckDB may use per process (`RW_DUCKDB_MEMORY_LIMIT`, default 1GB); beyond it, it
    spills to disk. DuckDB's own default is 80 % of the machine, which a large build would take.
    dbt's connection reads the same variable (dbt_project/profiles.yml)."""
    return os.environ.get("RW_DUCKDB_MEMORY_LIMIT") or "1GB"


def default_workers() -> int:
    """Every core this process may run on."""
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class Settings:
    inbox: Path
    home: Path
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # A file younger than this may still be being written; it waits for the next run.
    settle_seconds: float = DEFAULT_SETTLE_SECONDS
    # Extraction worker processes; the staged result is the same whatever the number.
    workers: int = 1
    batch_size: int = DEFAULT_BATCH_SIZE
    # fsspec URLs (e.g. s3://bucket/landing) every extraction worker can read; None: under `home`.
    landing_url: str | None = None
    staging_url: str | None = None
    # Address of a Dask scheduler (tcp://host:8786) whose workers extract the batches; None: this machine.
    dask_scheduler: str | None = None

    @property
    def landing_dir(self) -> Location:
        return location(self.landing_url) if self.landing_url else self.home / "landing"

    @property
    def staging_dir(self) -> Location:
        return location(self.staging_url) if self.staging_url else self.home / "staging"

    @property
    def build_db(self) -> Path:
        return self.home / "build" / "research.duckdb"

    @property
    def dbt_target_dir(self) -> Path:
        return self.home / "dbt_target"

    @property
    def warehouse_db(self) -> Path:
        return self.home / "warehouse" / "research.duckdb"

    @property
    def data_docs_dir(self) -> Path:
        return self.home / "data_docs"

    @property
    def lock_file(self) -> Path:
        return self.home / "run.lock"

    def ensure_dirs(self) -> None:
        """Create the local folders (idempotent); object storage needs no folders, only its bucket."""
        for folder in (
            self.landing_dir,
            self.staging_dir,
            self.build_db.parent,
            self.warehouse_db.parent,
            self.data_docs_dir,
        ):
            if not is_remote(folder):
                folder.mkdir(parents=True, exist_ok=True)


def settings_from_env(
    inbox: str | Path | None = None,
    home: str | Path | None = None,
    workers: int | None = None,
    *,
    max_file_bytes: int | None = None,
    settle_seconds: float | None = None,
    batch_size: int | None = None,
    landing_url: str | None = None,
    staging_url: str | None = None,
    dask_scheduler: str | None = None,
) -> Settings:
    """Settings from arguments; one left out (None) is read from its variable in `ENV_VARS`, else
    defaults (inbox `data/inbox`, home `var`, workers: every core)."""

    def read(field: str, value, parse, default):
        if value is None:
            value = os.environ.get(ENV_VARS[field]) or None
        return default if value is None else parse(value)

    workers = read("workers", workers, int, default_workers())
    if workers < 1:
        raise ValueError(f"RW_WORKERS must be at least 1, not {workers}")
    return Settings(
        inbox=Path(read("inbox", inbox, str, DEFAULT_INBOX)).resolve(),
        home=Path(read("home", home, str, DEFAULT_HOME)).resolve(),
        max_file_bytes=read("max_file_bytes", max_file_bytes, int, DEFAULT_MAX_FILE_BYTES),
        settle_seconds=read("settle_seconds", settle_seconds, float, DEFAULT_SETTLE_SECONDS),
        workers=workers,
        batch_size=read("batch_size", batch_size, int, DEFAULT_BATCH_SIZE),
        landing_url=read("landing_url", landing_url, str, None),
        staging_url=read("staging_url", staging_url, str, None),
        dask_scheduler=read("dask_scheduler", dask_scheduler, str, None),
    )
