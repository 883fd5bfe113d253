"""Receive files from the inbox into a content-addressed landing store.

Every file seen is accounted for: it is landed (its bytes kept under their SHA-256), or
recorded as a duplicate of content already landed, or quarantined with a reason.
Conventions for files still being written: a name ending in `.part` (or starting with a dot)
is ignored until renamed, and a file modified less than `settle_seconds` ago waits for the
next run. The store is a local folder or object storage (`pipelines.core.storage`): either way a
landed file's key is its content hash, so a copy cut short is simply written again.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.core.storage import Location, is_remote

RECEIVED, LOADED, DUPLICATE, QUARANTINED = "received", "loaded", "duplicate", "quarantined"
CHUNK = 1 << 20
# Bytes being copied into the landing store; a run killed mid-copy leaves one behind.
INCOMING_PREFIX = ".incoming-"


@dataclass(frozen=True)
class ReceivedFile:
    """One file taken from the inbox, as recorded in `audit.files`."""

    source_file: str  # path relative to the inbox, as received
    content_sha256: str | None
    size_bytes: int
    mtime_ns: int
    received_at: datetime
    status: str
    reason: str | None
    report_id: str | None


def report_id_for(content_sha256: str) -> str:
    """The stable report key: the first 16 hex digits of the content hash."""
    return content_sha256[:16]


def landed_path(landing_dir: Location, content_sha256: str) -> Location:
    """Where the bytes of one content hash are kept."""
    return landing_dir / content_sha256[:2] / content_sha256


def display_name(relative: Path) -> str:
    """The file's name as text: bytes that are not UTF-8 (a GBK name from a Windows zip) as \\xNN escapes.

    Python hands such names over with lone surrogates, which no database column can store.
    """
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _is_waiting(name: str) -> bool:
    return name.endswith(".part") or name.startswith(".")


def _inbox_entries(inbox: Path) -> Iterator[Path]:
    """Every entry below the inbox in a stable order; directories are never followed as links."""
    for folder, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(folder, d))]):
            if not _is_waiting(name):
                yield Path(folder) / name


def _land_bytes(source: Path, landing_dir: Location) -> tuple[str, int]:
    """Stream a file into the landing store; returns (sha256, size). Writes via rename, so atomic.

    Not flushed to disk here: `receive_inbox` syncs once for all the files it landed (an fsync per
    file costs milliseconds, minutes for a large inbox), before any of them is recorded.
    """
    if is_remote(landing_dir):
        return _upload_bytes(source, landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with (
        source.open("rb") as src,
        tempfile.NamedTemporaryFile(dir=landing_dir, prefix=INCOMING_PREFIX, delete=False) as tmp,
    ):
        try:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                tmp.write(chunk)
                size += len(chunk)
        except BaseException:
            os.unlink(tmp.name)
            raise
    sha = digest.hexdigest()
    target = landed_path(landing_dir, sha)
    # A landed file of another size was cut short by a crash before the sync: it is replaced.
    if target.exists() and target.stat().st_size == size:
        os.unlink(tmp.name)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp.name, target)
    return sha, size


def _upload_bytes(source: Path, landing_dir: Location) -> tuple[str, int]:
    """Put a file into a landing store on object storage; returns (sha256, size).

    The key is the content hash, so the bytes are read once, hashed, then sent in one upload: an
    object store shows an upload complete or not at all (no temporary object, no rename). The upload
    is not skipped when the key exists: asking first costs a request per file, and writing the same
    bytes again also replaces whatever else was under that key. Reports are bounded by
    `RW_MAX_FILE_BYTES`, so holding one in memory is cheap.
    """
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    landed_path(landing_dir, sha).write_bytes(data)
    return sha, len(data)


def receive_inbox(
    inbox: Path,
    landing_dir: Location,
    *,
    known_files: set[tuple[str, int, int]],
    known_content: dict[str, str],
    max_file_bytes: int,
    settle_seconds: float,
    now: datetime,
) -> list[ReceivedFile]:
    """Receive every new file of the inbox.

    `known_files` holds (source_file, size, mtime_ns) of files received by earlier runs, which
    are skipped; `known_content` maps content hashes already landed to the file first received
    with them (updated in place), so a second copy is recorded as a duplicate.
    """
    inbox = inbox.resolve()
    remote = is_remote(landing_dir)
    for leftover in [] if remote else landing_dir.glob(INCOMING_PREFIX + "*"):  # one receiver: the run lock
        leftover.unlink(missing_ok=True)
    received: list[ReceivedFile] = []
    for entry in _inbox_entries(inbox):
        source_file = display_name(entry.relative_to(inbox))
        try:
            item = _receive_one(
                entry, inbox, source_file, landing_dir, known_files, known_content, max_file_bytes, settle_seconds, now
            )
        except OSError as error:  # vanished or unreadable between listing and reading
            item = ReceivedFile(
                source_file, None, 0, 0, now, QUARANTINED, f"file could not be read: {error.strerror or error}", None
            )
        if item is not None:
            received.append(item)
    if received and not remote:  # an upload is durable once it returned
        os.sync()  # every landed byte is on disk before the caller records the files as received
    return received


def _receive_one(
    entry: Path,
    inbox: Path,
    source_file: str,
    landing_dir: Location,
    known_files: set[tuple[str, int, int]],
    known_content: dict[str, str],
    max_file_bytes: int,
    settle_seconds: float,
    now: datetime,
) -> ReceivedFile | None:
    def quarantined(reason: str, size: int = 0, mtime_ns: int = 0) -> ReceivedFile | None:
        if (source_file, size, mtime_ns) in known_files:
            return None
        return ReceivedFile(source_file, None, size, mtime_ns, now, QUARANTINED, reason, None)

    if entry.is_symlink():
        # realpath, unlike Path.resolve, does not raise on a symlink loop; stat() below reports it.
        target = Path(os.path.realpath(entry))
        if not target.is_relative_to(inbox):
            return quarantined("symbolic link pointing outside the inbox; not followed")
    info = entry.stat()
    if not stat.S_ISREG(info.st_mode):
        return quarantined("not a regular file", 0, info.st_mtime_ns)
    if (source_file, info.st_size, info.st_mtime_ns) in known_files:
        return None
    if now.timestamp() - info.st_mtime < settle_seconds:
        return None  # may still be being written
    if info.st_size > max_file_bytes:
        return quarantined(
            f"file is {info.st_size} bytes, over the limit of {max_file_bytes} bytes; not read",
            info.st_size,
            info.st_mtime_ns,
        )
    sha, size = _land_bytes(entry, landing_dir)
    report_id = report_id_for(sha)
    first = known_content.get(sha)
    if first is not None:
        return ReceivedFile(source_file, sha, size, info.st_mtime_ns, now, DUPLICATE, None, report_id)
    known_content[sha] = source_file
    return ReceivedFile(source_file, sha, size, info.st_mtime_ns, now, RECEIVED, None, report_id)


def read_landed(landing_dir: Location, content_sha256s: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """The original bytes of landed files, by content hash."""
    for sha in content_sha256s:
        path = landed_path(landing_dir, sha)
        # One GET per object; opening it as a file would ask for its size first.
        yield sha, path.fs.cat_file(path.path) if is_remote(landing_dir) else path.read_bytes()


def inbox_problem(inbox: Path) -> str | None:
    """Why `inbox` cannot be received (missing, not a folder, unreadable), or None when it can. A run on
    such an inbox must fail: receiving nothing from it would publish the warehouse as if all were well."""
    if not inbox.exists():
        return (
            f"the inbox {inbox} does not exist: create it and put reports in it, or point RW_INBOX "
            "(`research-warehouse run --inbox DIR`) at the folder reports arrive in"
        )
    if not inbox.is_dir():
        return f"the inbox {inbox} is not a folder: point RW_INBOX at the folder reports arrive in"
    if not os.access(inbox, os.R_OK | os.X_OK):
        return f"the inbox {inbox} cannot be read by this user: fix its permissions or point RW_INBOX elsewhere"
    return None


def inbox_fingerprint(inbox: Path) -> str:
    """A cheap summary of what waits in the inbox (count, newest mtime, total size); '' if empty."""
    count = newest = total = 0
    if not inbox.is_dir():
        return ""
    for entry in _inbox_entries(inbox.resolve()):
        try:
            info = entry.lstat()
        except OSError:
            continue
        count += 1
        newest = max(newest, info.st_mtime_ns)
        total += info.st_size
    return f"{count}:{newest}:{total}" if count else ""
