"""Files in a folder on this machine (the default backend).

The layout is the one the platform used before the storage interface:
``<UPLOADS_DIR>/<town id>/<area>/<name>``, so a folder written by an older
version is read as it is. A write goes to a hidden temporary file beside the
target, is flushed to the disk and renamed over it: readers see the old file,
or the whole new one, never a part. A failed write removes its temporary file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from projektfabrik.storage import (
    StorageUnavailable,
    StoredFile,
    check_key,
    check_prefix,
    is_plain_name,
)

CHUNK = 1 << 16


class LocalStorage:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, source: bytes | IO[bytes]) -> None:
        target = self._path(key)
        temporary: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=target.parent)
            with os.fdopen(handle, "wb") as out:
                self._write(out, source)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from a backup user
            os.replace(temporary, target)
            temporary = None
        except OSError as exc:
            raise StorageUnavailable(exc.errno, f"could not write {key}: {exc}") from exc
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def _write(self, out: IO[bytes], source: bytes | IO[bytes]) -> None:
        if isinstance(source, bytes):
            out.write(source)
        else:
            shutil.copyfileobj(source, out, CHUNK)

    def get(self, key: str) -> StoredFile | None:
        path = self._path(key)
        try:
            if not path.is_file() or path.is_symlink():
                return None
            stat = path.stat()
        except OSError as exc:
            raise StorageUnavailable(exc.errno, f"could not read {key}: {exc}") from exc
        return StoredFile(
            key=key,
            size=stat.st_size,
            modified=datetime.fromtimestamp(stat.st_mtime, UTC),
            etag=None,  # send_file makes one from the path
            path=path,
            opener=lambda: path.open("rb"),
        )

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageUnavailable(exc.errno, f"could not delete {key}: {exc}") from exc

    def list(self, prefix: str) -> Iterator[tuple[str, int]]:
        folder = self.root / check_prefix(prefix)
        if not folder.is_dir():
            return
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            # Temporary files of writes in progress (".partial-…") are no keys.
            if path.is_file() and not path.is_symlink() and _is_key(relative):
                yield relative, path.stat().st_size

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self.root / check_prefix(prefix), ignore_errors=True)


def _is_key(relative: str) -> bool:
    return all(is_plain_name(part) for part in relative.split("/"))
