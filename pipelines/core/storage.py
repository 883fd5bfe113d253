"""Where the landing store and the staged batches live: a local folder, or object storage by fsspec URL.

Workers on other machines cannot read the coordinator's disk, so `RW_LANDING_URL` and
`RW_STAGING_URL` may name an `s3://bucket/prefix` (S3-compatible storage; endpoint and credentials
from the usual `AWS_*` variables). A local path stays a plain `pathlib.Path`, so the local
default keeps its atomic renames and its speed; a URL becomes a `UPath` with the same interface.
Object stores have no rename: an object written by one PUT appears complete or not at all, which
is what the landing store (content-hash keys) and the batch folders (a marker written last) rely on.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from upath import UPath

Location = Path | UPath


def location(url: str | Path) -> Location:
    """A local path (resolved) or, for a URL with a scheme other than file://, an fsspec path."""
    text = str(url)
    if "://" in text and not text.startswith("file://"):
        return UPath(text)
    return Path(text.removeprefix("file://")).resolve()


def is_remote(path: Location) -> bool:
    return not isinstance(path, Path)


def refreshed(path: Location) -> Location:
    """`path`, with this process's cached listings of object storage dropped (other machines write there)."""
    if is_remote(path):
        path.fs.invalidate_cache()
    return path


def remove_tree(path: Location) -> None:
    """Delete a folder and everything below it; nothing if it does not exist."""
    if not is_remote(path):
        shutil.rmtree(path, ignore_errors=True)
    elif path.fs.exists(path.path):
        path.fs.rm(path.path, recursive=True)


@contextmanager
def local_copies(folders: Sequence[Location], scratch: Path) -> Iterator[list[Path]]:
    """Local folders holding the files of `folders`: themselves if local, else downloaded into `scratch`
    for the duration (DuckDB reads Parquet from local files; its S3 extension needs the network)."""
    if not any(is_remote(folder) for folder in folders):
        yield list(folders)
        return
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch, prefix="download-") as tmp:
        copies = []
        for folder in folders:
            copy = Path(tmp) / folder.name
            copy.mkdir()
            for item in folder.iterdir():
                item.fs.get_file(item.path, str(copy / item.name))
            copies.append(copy)
        yield copies
