"""Store and send one large file through each storage backend: time and memory.

    .venv/bin/python bench/storage_download.py            # 64 MB, local and S3 (moto)
    .venv/bin/python bench/storage_download.py --mb 256

For the local folder and for S3 (moto's server on loopback, as in the tests):
``put`` of the file from a stream, then ``send_download`` of the stored file
read to its end as a WSGI server would. The Python heap's peak while sending
(tracemalloc) shows that the file is streamed, not held whole in memory.
moto is no real S3: its times say little about a production bucket, the peak
memory does. Prints a Markdown table for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402

from projektfabrik.downloads import send_download  # noqa: E402
from projektfabrik.storage import Storage  # noqa: E402
from projektfabrik.storage.local import LocalStorage  # noqa: E402
from projektfabrik.storage.s3 import S3Storage  # noqa: E402
from projektfabrik.testing_s3 import serve  # noqa: E402


class Zeros(io.RawIOBase):
    """``size`` bytes of upload, made as they are read (the source takes no memory)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = min(len(buffer), self.left)
        buffer[:size] = bytes(size)
        self.left -= size
        return size


def measure(name: str, backend: Storage, size: int) -> str:
    app = Flask(__name__)
    key = "1/bench/file.bin"
    started = time.perf_counter()
    backend.put(key, io.BufferedReader(Zeros(size), 1 << 16))
    put_s = time.perf_counter() - started
    with app.test_request_context():
        stored = backend.get(key)
        assert stored is not None and stored.size == size
        tracemalloc.start()
        started = time.perf_counter()
        response = send_download(stored, "file.bin", "application/octet-stream")
        sent = sum(len(chunk) for chunk in response.response)  # type: ignore[union-attr]
        response.close()
        get_s = time.perf_counter() - started
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert sent == size
    mb = size / 2**20
    return (
        f"| {name} | {mb:.0f} MB | {put_s:.2f} s ({mb / put_s:.0f} MB/s) "
        f"| {get_s:.2f} s ({mb / get_s:.0f} MB/s) | {peak / 2**20:.1f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=64)
    size = parser.parse_args().mb * 2**20
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        rows.append(measure("local folder", LocalStorage(Path(folder)), size))
    for server in serve():
        rows.append(measure("S3 (moto, loopback)", S3Storage.from_config(server.config("b")), size))
    print("| backend | file | store (put) | send (download) | heap peak while sending |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
