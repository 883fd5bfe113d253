"""The landing store and the staged batches on S3-compatible object storage (a local moto server)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.core import staging, storage
from pipelines.core.landing import DUPLICATE, RECEIVED, landed_path, read_landed, receive_inbox
from tests.object_storage import local_s3


@pytest.fixture(scope="module")
def bucket():
    with local_s3("rw-unit"):
        yield "s3://rw-unit"


def receive(inbox: Path, landing, known_content: dict[str, str] | None = None):
    return receive_inbox(
        inbox,
        landing,
        known_files=set(),
        known_content={} if known_content is None else known_content,
        max_file_bytes=10_000,
        settle_seconds=0,
        now=datetime.now(),
    )


def test_a_url_is_object_storage_and_a_path_stays_a_local_path(tmp_path: Path) -> None:
    assert storage.location(str(tmp_path)) == tmp_path and not storage.is_remote(storage.location(str(tmp_path)))
    assert storage.location(f"file://{tmp_path}") == tmp_path
    assert storage.is_remote(storage.location("s3://bucket/landing"))


def test_landing_on_object_storage_is_content_addressed_and_idempotent(tmp_path: Path, bucket: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(b"report one")
    (inbox / "b.txt").write_bytes(b"report one")
    landing = storage.location(f"{bucket}/landing-1")
    first, second = receive(inbox, landing)
    sha = hashlib.sha256(b"report one").hexdigest()
    assert (first.status, second.status, first.content_sha256) == (RECEIVED, DUPLICATE, sha)
    assert landed_path(landing, sha).path.endswith(f"landing-1/{sha[:2]}/{sha}")
    assert dict(read_landed(landing, [sha])) == {sha: b"report one"}
    # An object cut short under the key (another writer, a lost upload) is replaced when the file comes again.
    landed_path(landing, sha).write_bytes(b"report")
    again = receive(inbox, landing)[0]
    assert again.status == RECEIVED and dict(read_landed(landing, [sha])) == {sha: b"report one"}


def test_only_batch_folders_with_their_marker_are_loaded(tmp_path: Path, bucket: str) -> None:
    staged = storage.location(f"{bucket}/staging-1")
    frame = pl.DataFrame({"report_id": ["r1", "r2"]})
    staging._write_batch(staging.batch_dir(staged, 0), {"reports.parquet": frame})
    cut_short = staging.batch_dir(staged, 1)
    with (cut_short / "reports.parquet").open("wb") as out:  # a worker killed before its marker
        frame.write_parquet(out)
    folders = staging.staged_batches(staged)
    assert [folder.name for folder in folders] == ["batch-000000"]
    with storage.local_copies(folders, tmp_path) as [local]:
        assert isinstance(local, Path) and pl.read_parquet(local / "reports.parquet").equals(frame)
    assert not list(tmp_path.iterdir()), "downloads are removed after loading"
    storage.remove_tree(staged)
    assert staging.staged_batches(staged) == []
