"""Shared by the reliability tests: the bad-input inbox, CLI runs (in-process or as a killable
subprocess, optionally offline), and table snapshots to compare warehouses.

A full run takes about a minute, so the fresh run on the bad-input inbox is made once per session
(`fresh_bad_input_run`) and serves as the reference of the crash, re-extraction and concurrency tests.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.core.warehouse_compare import RUN_TIME_COLUMNS
from tests.conftest import REPO_ROOT, SAMPLES, SEED_REPORT
from tests.integration.conftest import PipelineRun, run_cli

CLI = str(Path(sys.executable).parent / "research-warehouse")
MAX_FILE_BYTES = 1_500_000  # above the 1 MB token report, below the oversized file
SETTLE_SECONDS = 600  # files modified within the last 10 minutes wait; the others are backdated

LOADED, DUPLICATE, QUARANTINED = "loaded", "duplicate", "quarantined"
# Reports that load with some rows held aside by a blocking row-level expectation.
ABSURD_AMOUNT, PAGES_ABOVE_500 = "26 digits.txt", "citations above 500.txt"


@dataclass(frozen=True)
class Expected:
    """What should become of one inbox file: its status and words its reason must contain."""

    status: str
    reason_words: tuple[str, ...] = ()
    path: Path | None = None  # the file in the inbox, when its recorded name is not its real name


def _report(
    summary: str, title: str = "计算机计算机行业跟踪周报:算力产业的三个趋势", source: str = "东吴证券·2024-12-24 03:36"
) -> str:
    return f"{summary}\n{title}\n{source}\n"


_HEAD = "Industry Investment Rating - Overweight (Maintained) [11] Core Views - "
_TAIL = " - Domestic computing power costs fell 5% [2]"

# Every text field gets quotes, statement ends, comments, LIKE wildcards and placeholders.
SQL_BROKER = "东吴证券'; DELETE FROM audit.files;--"
SQL_TITLE = "计算机行业跟踪周报:'); DROP TABLE marts.dim_report; --算力产业的三个趋势"
SQL_CLAIM = 'Robert\'); DROP TABLE raw.claims; -- said "AI" demand grows 12% with 100_% $1 ? :name %s {0} \\'
SQL_REPORT = _report(
    f"{_HEAD}{SQL_CLAIM} [1] Key Points by Section O'Brien \"Quoted\"; Heading - It's the 'quoted' view of "
    "Bobby Tables'; DELETE FROM marts.fct_metric WHERE '1'='1 [2] Investment Recommendations - "
    "Theme'); DROP TABLE marts.fct_recommendation;--: O'Reilly Media, \"Quote\" Inc, and Robert'); Co [3]",
    title="计算机" + SQL_TITLE,
    source=f"{SQL_BROKER}·2024-12-24 03:36",
)
BIDI_TITLE = "计算机行业跟踪周报:\u202e算力产业的三个趋势\u202c\u200b"
BIDI_REPORT = _report(
    f"{_HEAD}Demand \u202egrows\u202c with a zero\u200bwidth space, a bell\x07 and "
    "\x1b[31mANSI\x1b[0m colour codes [1]" + _TAIL,
    title="计算机" + BIDI_TITLE,
)


def build_bad_inbox(inbox: Path, outside: Path) -> dict[str, Expected]:
    """Fill `inbox` with every kind of bad input and a few good reports; `outside` is a folder
    beside it for symbolic-link targets. Returns the expected fate of each file by recorded name."""
    inbox.mkdir(parents=True)
    outside.mkdir(parents=True, exist_ok=True)
    seed = (SAMPLES / SEED_REPORT).read_bytes()
    expected: dict[str, Expected] = {}

    def put(name: str, content: bytes | str, status: str, *reason_words: str) -> None:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        expected[name] = Expected(status, reason_words)

    # Good reports, some under odd names; copies and links to them are duplicates.
    put(SEED_REPORT, seed, LOADED)
    put("with space.txt", (SAMPLES / "a01_dongwu_jisuanji_20250225.txt").read_bytes(), LOADED)
    put("研报 2024.txt", (SAMPLES / "a02_huatai_dianzi_20250414.txt").read_bytes(), LOADED)
    put("new\nline.txt", (SAMPLES / "a03_tianfeng_tongxin_20240902.txt").read_bytes(), LOADED)
    put("sub folder/-rf *.txt", (SAMPLES / "a04_guangfa_qiche_20241118.txt").read_bytes(), LOADED)
    put("copy of the seed.txt", seed, DUPLICATE)
    put(
        "utf16.txt",
        (SAMPLES / "a05_guotaijunan_dianlishebei_20250120.txt").read_text(encoding="utf-8").encode("utf-16"),
        LOADED,
    )
    gbk_name = os.fsdecode("研报-gbk.txt".encode("gb18030"))  # a name from a Chinese Windows zip
    (inbox / gbk_name).write_bytes((SAMPLES / "a06_zhaoshang_dianlishebei_20240722.txt").read_bytes())
    expected[os.fsencode(gbk_name).decode("utf-8", "backslashreplace")] = Expected(LOADED, path=inbox / gbk_name)
    (inbox / "link to the seed.txt").symlink_to(inbox / SEED_REPORT)
    expected["link to the seed.txt"] = Expected(DUPLICATE)

    # Not reports at all.
    put("empty.txt", b"", QUARANTINED, "empty")
    put("whitespace.txt", " \r\n\t\u3000\n", QUARANTINED, "whitespace")
    put("random.txt", random.Random(6).randbytes(8192), QUARANTINED, "neither UTF-8 nor GB18030")
    put("image.txt", b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(2048), QUARANTINED, "PNG image")
    put(
        "document.txt",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + random.Random(8).randbytes(2048),
        QUARANTINED,
        "PDF document",
    )
    put(
        "page.txt",
        "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
        "<p>The requested URL was not found on this server.</p></body></html>\n",
        QUARANTINED,
        "no source line",
    )
    put("undecodable.txt", seed[:400] + b"\xff\xfe\xfd\x80\x81" + seed[400:], QUARANTINED, "neither UTF-8 nor GB18030")
    put("nul bytes.txt", seed.replace(b"Core Views", b"Core\x00Views"), QUARANTINED, "NUL bytes")
    # Broken reports.
    put("truncated.txt", seed[:1500], QUARANTINED, "no source line")
    put("title and source only.txt", _report("").lstrip("\n"), QUARANTINED, "no summary")
    put(
        "impossible date.txt",
        _report(_HEAD + "Demand grows [1]" + _TAIL, source="东吴证券·2024-13-45 25:61"),
        QUARANTINED,
        "impossible publication time",
        "2024-13-45 25:61",
    )
    # Dated in the future: no broker publishes there, so the source line was misread or mistyped.
    put(
        "far future.txt",
        _report(_HEAD + "Demand grows [1]" + _TAIL, source="东吴证券·2999-01-01 09:30"),
        QUARANTINED,
        "published_at",
    )
    # An amount beyond any balance sheet (1.2e25 yuan) would dwarf every sum: that figure is held aside
    # (audit.quarantined_rows), the rest of the report loads.
    put(ABSURD_AMOUNT, _report(_HEAD + "Revenue reached 12345678901234567890123456 yuan in 2025 [1]" + _TAIL), LOADED)
    # Not a number the family writes: no metric is read, the rest of the report loads.
    put("1e308.txt", _report(_HEAD + "Revenue reached 1e308 trillion yuan in 2025 [1]" + _TAIL), LOADED)
    put(
        "citations.txt",
        _report(_HEAD + "Demand keeps growing " + "".join(f"[{k % 400 + 1}]" for k in range(5000)) + _TAIL),
        LOADED,
    )
    # Pages above 500 are figures or years read as citations: the bullet (with its figures) is held aside.
    put(
        PAGES_ABOVE_500,
        _report(
            _HEAD
            + "Demand keeps growing to 30 billion yuan "
            + "".join(f"[{k % 900 + 1}]" for k in range(3000))
            + _TAIL
        ),
        LOADED,
    )
    put("long token.txt", _report(_HEAD + "Demand grows " + "A" * 1_000_000 + " [1]" + _TAIL), LOADED)
    put(
        "over the limit.txt",
        _report(_HEAD + "Demand grows [1]" + _TAIL) + " " * MAX_FILE_BYTES,
        QUARANTINED,
        "over the limit",
        str(MAX_FILE_BYTES),
    )
    put("sql'); drop table audit.files;--.txt", SQL_REPORT, LOADED)
    put("bidi \u202etxt.exe\u202c control.txt", BIDI_REPORT, LOADED)

    # Things that are not regular files, and links that must not be followed.
    os.mkfifo(inbox / "fifo.txt")  # opening it would block the run forever
    expected["fifo.txt"] = Expected(QUARANTINED, ("not a regular file",))
    (outside / "secret.txt").write_bytes(seed.replace(b"Core Views", b"Secret Views"))
    (inbox / "link outside.txt").symlink_to(outside / "secret.txt")
    (inbox / "link to a folder outside").symlink_to(outside)
    (inbox / "dangling link.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    expected["link outside.txt"] = Expected(QUARANTINED, ("outside the inbox", "not followed"))
    expected["link to a folder outside"] = Expected(QUARANTINED, ("outside the inbox", "not followed"))
    expected["dangling link.txt"] = Expected(QUARANTINED, ("could not be read",))
    expected["loop.txt"] = Expected(QUARANTINED, ("could not be read",))

    # Files still being written wait: the .part convention, dot files, and a file modified just now.
    (inbox / "arriving.txt.part").write_bytes(seed[:100])
    (inbox / ".hidden.txt").write_bytes(seed)
    hour_ago = time.time() - 3600
    for folder, folders, files in os.walk(inbox):  # never into linked folders
        for name in folders + files:
            os.utime(Path(folder) / name, (hour_ago, hour_ago), follow_symlinks=False)
    (inbox / "still being written.txt").write_bytes(seed[:2000])
    return expected


WAITING = ("arriving.txt.part", ".hidden.txt", "still being written.txt")


def run_env(**extra: str) -> dict[str, str]:
    """The variables every run in these tests gets (a small size limit, a long settle time)."""
    return {"RW_MAX_FILE_BYTES": str(MAX_FILE_BYTES), "RW_SETTLE_SECONDS": str(SETTLE_SECONDS), **extra}


def run_in_process(*args: str, home: Path, inbox: Path, **env: str) -> PipelineRun:
    """`research-warehouse <args>` in this process, with `run_env` and the output captured."""
    return run_cli(*args, inbox=inbox, home=home, **run_env(**env))


_NETWORK_GUARD = '''
"""Installed by the tests as sitecustomize: any connection that leaves the machine is refused and logged."""
import errno, ipaddress, os, socket

_LOG = os.environ["RW_TEST_NETWORK_LOG"]
_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _is_local(host):
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"pid {os.getpid()}: {what}\\n")
    raise OSError(errno.ENETUNREACH, f"network unreachable (test guard): {what}")


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _refuse(f"connect to {address!r}")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _refuse(f"connect to {address!r}")
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if not _is_local(name):
        _refuse(f"name lookup of {name!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
'''


def network_namespace_available() -> bool:
    """Whether `unshare -rn` can put a process in a network namespace with no interfaces up."""
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


def attempts_log(offline_root: Path) -> Path:
    """Where the network guard of an offline run logs each connection it refused."""
    return offline_root / "network-guard" / "attempts.log"


def offline_env(root: Path) -> dict[str, str]:
    """Environment of a subprocess whose Python (and every Python it starts: dbt) refuses and logs
    any non-loopback connection or name lookup (`attempts_log`); the switches that silence telemetry
    are removed so that the product itself must keep quiet."""
    log = attempts_log(root)
    log.parent.mkdir(parents=True, exist_ok=True)
    (log.parent / "sitecustomize.py").write_text(textwrap.dedent(_NETWORK_GUARD), encoding="utf-8")
    log.touch()
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "DO_NOT_TRACK",
            "DBT_SEND_ANONYMOUS_USAGE_STATS",
            "GX_ANALYTICS_ENABLED",
            "DAGSTER_DISABLE_TELEMETRY",
            "DAGSTER_HOME",
            "PYTHONPATH",
        }
    }
    env.update(PYTHONPATH=os.pathsep.join([str(log.parent), str(REPO_ROOT)]), RW_TEST_NETWORK_LOG=str(log))
    return env


def start_cli(*args: str, home: Path, inbox: Path, offline_root: Path | None = None, **env: str) -> subprocess.Popen:
    """`research-warehouse <args>` as a subprocess in its own process group (so that it and its dbt
    child can be killed together); with `offline_root`, with the network guard and, where the
    machine allows it, in a network namespace without any network."""
    base, command = dict(os.environ), [CLI, *args, "--home", str(home)]
    base.pop("DAGSTER_HOME", None)
    if offline_root is not None:
        base = offline_env(offline_root)
        if network_namespace_available():
            command = ["unshare", "-rn", *command]
    base.update(run_env(RW_INBOX=str(inbox), RW_HOME=str(home), **env))
    return subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=base,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen, home: Path, timeout: float = 600) -> PipelineRun:
    """Wait for a CLI subprocess and collect what it printed."""
    stdout, stderr = process.communicate(timeout=timeout)
    return PipelineRun(process.returncode, stdout + stderr, home)


def table_snapshot(db: Path, schema: str) -> dict[str, list[tuple]]:
    """Every table of `schema`, rows sorted, without the columns that only record run times."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]
            ).fetchall()
        ]
        snapshot = {}
        for table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where "
                    "table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if c not in RUN_TIME_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from "{schema}"."{table}"').fetchall()
            snapshot[table] = sorted(rows, key=repr)
    return snapshot


def file_outcomes(db: Path) -> dict[str, tuple]:
    """(status, reason, content_sha256, report_id) of every file in `audit.files`, by name."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("select source_file, status, reason, content_sha256, report_id from audit.files").fetchall()
    return {name: rest for name, *rest in ((r[0], *r[1:]) for r in rows)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class FreshRun:
    """The first run on a bad-input inbox, with what it published."""

    result: PipelineRun
    inbox: Path
    expected: dict[str, Expected]
    marts: dict[str, list[tuple]]
    files: dict[str, tuple]


_fresh_runs: dict[int, FreshRun] = {}


def fresh_bad_input_run(tmp_path_factory: pytest.TempPathFactory) -> FreshRun:
    """The bad-input inbox run once into a new home (made once per test session)."""
    key = id(tmp_path_factory)
    if key not in _fresh_runs:
        root = tmp_path_factory.mktemp("bad-input")
        expected = build_bad_inbox(root / "inbox", root / "outside")
        result = run_in_process("run", home=root / "home", inbox=root / "inbox")
        assert result.exit_code == 0, result.output
        # Later tests copy this home; they must not change it.
        _fresh_runs[key] = FreshRun(
            result, root / "inbox", expected, table_snapshot(result.warehouse, "marts"), file_outcomes(result.warehouse)
        )
    return _fresh_runs[key]


def copy_home(home: Path, target: Path) -> Path:
    """A copy of a warehouse home (landing store, build database, published warehouse)."""
    return Path(shutil.copytree(home, target, symlinks=True, ignore=shutil.ignore_patterns("run.lock")))


_offline_reextracts: dict[int, tuple[PipelineRun, Path]] = {}


def offline_reextract_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[PipelineRun, Path]:
    """`research-warehouse reextract` on a copy of the fresh run's home, as a subprocess without
    network (made once per session). Returns the result and the offline root (see `attempts_log`)."""
    key = id(tmp_path_factory)
    if key not in _offline_reextracts:
        home = fresh_bad_input_run(tmp_path_factory).result.home
        root = tmp_path_factory.mktemp("reextract")
        copy = copy_home(home, root / "home")
        (root / "inbox").mkdir()  # nothing new arrives: only what was landed is extracted again
        _offline_reextracts[key] = (
            finish(start_cli("reextract", home=copy, inbox=root / "inbox", offline_root=root), copy),
            root,
        )
    return _offline_reextracts[key]
