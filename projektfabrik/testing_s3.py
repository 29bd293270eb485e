"""An S3 server on loopback for the tests: moto's server mode in a subprocess.

``PROJEKTFABRIK_TEST_STORAGE=s3`` runs the app fixtures on it (every test its
own prefix in one bucket per test session); the storage tests start it
whatever the variable says. moto speaks the S3 protocol over HTTP like a real
endpoint, so boto3's requests, retries and errors are the real ones.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

BUCKET = "projektfabrik-test"
REGION = "eu-central-1"


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen[bytes]

    def config(self, prefix: str) -> dict[str, Any]:
        """The app settings for this server, under ``prefix`` in the test bucket."""
        return {
            "STORAGE": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_PREFIX": prefix,
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
            "S3_TIMEOUT": 2.0,
        }


def wanted() -> bool:
    """Whether this run keeps the app's files in S3 (``PROJEKTFABRIK_TEST_STORAGE=s3``)."""
    return os.environ.get("PROJEKTFABRIK_TEST_STORAGE", "local") == "s3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve() -> Iterator[S3Server]:
    """Start moto's server on a free loopback port with the test bucket; stop it after."""
    import boto3

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto's S3 server did not start on port {port}") from None
                time.sleep(0.1)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield S3Server(endpoint, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
