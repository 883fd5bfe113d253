"""The landing store: every inbox file is landed, a duplicate, or quarantined with a reason."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.core.landing import (
    DUPLICATE,
    QUARANTINED,
    RECEIVED,
    inbox_fingerprint,
    landed_path,
    receive_inbox,
    report_id_for,
)

NOW = datetime(2026, 1, 1, 12, 0, 0)


def receive(inbox: Path, landing: Path, *, known_files=None, known_content=None, max_bytes=1000, settle=0.0, now=None):
    return receive_inbox(
        inbox,
        landing,
        known_files=known_files or set(),
        known_content={} if known_content is None else known_content,
        max_file_bytes=max_bytes,
        settle_seconds=settle,
        now=now or datetime.now(),
    )


def test_new_file_is_landed_under_its_content_hash(tmp_path: Path) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(b"report one")
    [item] = receive(inbox, landing)
    sha = hashlib.sha256(b"report one").hexdigest()
    assert (item.status, item.content_sha256, item.report_id) == (RECEIVED, sha, report_id_for(sha))
    assert landed_path(landing, sha).read_bytes() == b"report one"


def test_same_content_twice_is_one_report_and_a_duplicate(tmp_path: Path) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(b"same")
    (inbox / "b copy.txt").write_bytes(b"same")
    first, second = receive(inbox, landing)
    assert (first.status, second.status) == (RECEIVED, DUPLICATE)
    assert first.report_id == second.report_id


def test_files_seen_by_an_earlier_run_are_skipped(tmp_path: Path) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    path = inbox / "a.txt"
    path.write_bytes(b"x")
    info = path.stat()
    assert receive(inbox, landing, known_files={("a.txt", info.st_size, info.st_mtime_ns)}) == []


def test_oversized_file_is_quarantined_without_landing(tmp_path: Path) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    (inbox / "big.txt").write_bytes(b"x" * 2000)
    [item] = receive(inbox, landing, max_bytes=1000)
    assert item.status == QUARANTINED and "over the limit" in item.reason
    assert item.content_sha256 is None and not landing.exists()


def test_symlink_outside_the_inbox_is_not_followed(tmp_path: Path) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    (inbox / "link.txt").symlink_to(secret)
    [item] = receive(inbox, landing)
    assert item.status == QUARANTINED and "outside the inbox" in item.reason
    assert not landing.exists()


def test_part_files_and_fresh_files_wait(tmp_path: Path) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    (inbox / "coming.txt.part").write_bytes(b"half")
    (inbox / "fresh.txt").write_bytes(b"just written")
    assert receive(inbox, landing, settle=3600) == []
    old = inbox / "old.txt"
    old.write_bytes(b"settled")
    os.utime(old, (0, 0))
    assert [f.source_file for f in receive(inbox, landing, settle=3600)] == ["old.txt"]


@pytest.mark.parametrize("name", ["with space.txt", "研报 2024.txt", "new\nline.txt"])
def test_odd_file_names_are_received_as_written(tmp_path: Path, name: str) -> None:
    inbox, landing = tmp_path / "inbox", tmp_path / "landing"
    inbox.mkdir()
    (inbox / name).write_bytes(b"content")
    [item] = receive(inbox, landing)
    assert item.source_file == name and item.status == RECEIVED


def test_fingerprint_changes_when_a_file_arrives(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert inbox_fingerprint(inbox) == ""
    (inbox / "a.txt").write_bytes(b"1")
    first = inbox_fingerprint(inbox)
    (inbox / "b.txt").write_bytes(b"22")
    assert first and inbox_fingerprint(inbox) not in ("", first)
