"""Run the real warehouse job in-process into a temporary RW_HOME."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines import cli


@dataclass
class PipelineRun:
    exit_code: int
    output: str
    home: Path

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse" / "research.duckdb"

    @property
    def build_db(self) -> Path:
        return self.home / "build" / "research.duckdb"

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()


def copy_reports(sources: Iterable[Path], inbox: Path) -> Path:
    """A fresh inbox holding copies of `sources`."""
    inbox.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copy(source, inbox / source.name)
    return inbox


def run_cli(*args: str, inbox: Path, home: Path, **env: str) -> PipelineRun:
    """`research-warehouse <args> --home HOME` in this process, output captured.

    The environment (RW_INBOX, RW_HOME, RW_SETTLE_SECONDS=0 and `env`) is set for the call and
    restored afterwards, since the CLI exports the locations it was given.
    """
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"RW_SETTLE_SECONDS": "0", "RW_INBOX": str(inbox), "RW_HOME": str(home), **env}.items():
            patch.setenv(name, value)
        patch.delenv("DAGSTER_HOME", raising=False)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = cli.main([*args, "--home", str(home)])
    return PipelineRun(code, out.getvalue(), home)


def run_pipeline(inbox: Path, home: Path, *extra: str) -> PipelineRun:
    """The real `research-warehouse run` entry point on `inbox`, in-process."""
    return run_cli("run", "--inbox", str(inbox), *extra, inbox=inbox, home=home)
