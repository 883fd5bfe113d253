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
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
DEFAULT_SETTLE_SECONDS = 2.0
# Most reports per extraction batch: a worker holds one batch (texts, frames, GX's pandas copy) at a
# time, about 0.3 GB for 5,000 reports; GX's fixed cost per batch makes small batches slow.
DEFAULT_BATCH_SIZE = 5000


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
        for folder in (self.landing_dir, self.staging_dir, self.build_db.parent,
                       self.warehouse_db.parent, self.data_docs_dir):
            if not is_remote(folder):
                folder.mkdir(parents=True, exist_ok=True)


def settings_from_env(inbox: str | Path | None = None, home: str | Path | None = None,
                      workers: int | None = None) -> Settings:
    """Settings from arguments, else `RW_INBOX`/`RW_HOME`/`RW_MAX_FILE_BYTES`/`RW_SETTLE_SECONDS`/
    `RW_WORKERS` (default: every core)/`RW_BATCH_SIZE`/`RW_LANDING_URL`/`RW_STAGING_URL`/`RW_DASK_SCHEDULER`."""
    workers = workers or int(os.environ.get("RW_WORKERS") or default_workers())
    if workers < 1:
        raise ValueError(f"RW_WORKERS must be at least 1, not {workers}")
    return Settings(
        inbox=Path(inbox or os.environ.get("RW_INBOX", "data/inbox")).resolve(),
        home=Path(home or os.environ.get("RW_HOME", "var")).resolve(),
        max_file_bytes=int(os.environ.get("RW_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)),
        settle_seconds=float(os.environ.get("RW_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS)),
        workers=workers,
        batch_size=int(os.environ.get("RW_BATCH_SIZE") or DEFAULT_BATCH_SIZE),
        landing_url=os.environ.get("RW_LANDING_URL") or None,
        staging_url=os.environ.get("RW_STAGING_URL") or None,
        dask_scheduler=os.environ.get("RW_DASK_SCHEDULER") or None,
    )
