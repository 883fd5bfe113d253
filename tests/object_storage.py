"""A local S3-compatible server (moto) for the tests of the landing store and staging on object storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import s3fs
from moto.server import ThreadedMotoServer


@contextmanager
def local_s3(bucket: str) -> Iterator[str]:
    """An S3 endpoint on 127.0.0.1 (a free port) with an empty `bucket`, configured through the same
    AWS_* variables a deployment uses (worker processes started inside inherit them); yields the
    endpoint URL. The server and the variables are gone afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in {
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_DEFAULT_REGION": "us-east-1",
            }.items():
                patch.setenv(name, value)
            s3fs.S3FileSystem.clear_instance_cache()  # a file system made for another endpoint is cached
            s3fs.S3FileSystem().mkdir(bucket)
            yield endpoint
            s3fs.S3FileSystem.clear_instance_cache()
    finally:
        server.stop()
