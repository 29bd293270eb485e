"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage …), shared by every
app machine.

Configured from the environment (docs/operations.md, "Files"):
``PROJEKTFABRIK_S3_BUCKET``, ``PROJEKTFABRIK_S3_ENDPOINT_URL`` (empty: AWS),
``PROJEKTFABRIK_S3_REGION``, ``PROJEKTFABRIK_S3_PREFIX`` (a folder in a shared
bucket) and the credentials ``PROJEKTFABRIK_S3_ACCESS_KEY_ID`` /
``PROJEKTFABRIK_S3_SECRET_ACCESS_KEY`` (empty: boto3's own chain, e.g.
``AWS_ACCESS_KEY_ID`` or the machine's role). A PUT is atomic in S3 (an object
appears whole or not at all), and so is a multipart upload, which appears on
its completion. Timeouts are short and retries few: a failing endpoint must
turn into a refusal within seconds, not hold a web worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from projektfabrik.storage import StorageUnavailable, StoredFile, check_key, check_prefix

_MISSING = {"404", "NoSuchKey", "NotFound"}
_FAILURES = (BotoCoreError, ClientError)


class S3Storage:
    name = "s3"

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    @classmethod
    def from_config(cls, config: dict[str, object]) -> S3Storage:
        bucket = str(config.get("S3_BUCKET") or "")
        if not bucket:
            raise ValueError("PROJEKTFABRIK_STORAGE=s3 needs PROJEKTFABRIK_S3_BUCKET")
        options: dict[str, Any] = {
            "endpoint_url": config.get("S3_ENDPOINT_URL") or None,
            "region_name": config.get("S3_REGION") or None,
            "config": Config(
                connect_timeout=float(config.get("S3_TIMEOUT") or 5),  # type: ignore[arg-type]
                read_timeout=float(config.get("S3_TIMEOUT") or 5) * 6,  # type: ignore[arg-type]
                retries={"mode": "standard", "max_attempts": 2},
                signature_version="s3v4",
                s3={"addressing_style": "path"} if config.get("S3_ENDPOINT_URL") else {},
            ),
        }
        if config.get("S3_ACCESS_KEY_ID"):
            options["aws_access_key_id"] = config["S3_ACCESS_KEY_ID"]
            options["aws_secret_access_key"] = config.get("S3_SECRET_ACCESS_KEY")
        client = boto3.session.Session().client("s3", **options)
        return cls(client, bucket, str(config.get("S3_PREFIX") or ""))

    def _object(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, source: bytes | IO[bytes]) -> None:
        name = self._object(key)
        try:
            if isinstance(source, bytes):
                self.client.put_object(Bucket=self.bucket, Key=name, Body=source)
            else:  # multipart above 8 MB: the object appears only once it is complete
                self.client.upload_fileobj(source, self.bucket, name)
        except _FAILURES as exc:
            raise StorageUnavailable(f"could not write {key} to S3: {exc}") from exc

    def get(self, key: str) -> StoredFile | None:
        name = self._object(key)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _MISSING:
                return None
            raise StorageUnavailable(f"could not read {key} from S3: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"could not read {key} from S3: {exc}") from exc

        def opener() -> IO[bytes]:
            try:
                body: IO[bytes] = self.client.get_object(Bucket=self.bucket, Key=name)["Body"]
            except _FAILURES as exc:
                raise StorageUnavailable(f"could not read {key} from S3: {exc}") from exc
            return body

        return StoredFile(
            key=key,
            size=int(head["ContentLength"]),
            modified=head.get("LastModified"),
            etag=str(head.get("ETag") or "").strip('"') or None,
            path=None,
            opener=opener,
        )

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._object(key))
        except _FAILURES as exc:
            raise StorageUnavailable(f"could not delete {key} from S3: {exc}") from exc

    def list(self, prefix: str) -> Iterator[tuple[str, int]]:
        start = self.prefix + check_prefix(prefix) + "/"
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start
            )
            for page in pages:  # S3 lists in key order
                for item in page.get("Contents", ()):
                    yield str(item["Key"])[len(self.prefix) :], int(item["Size"])
        except _FAILURES as exc:
            raise StorageUnavailable(f"could not list {prefix} in S3: {exc}") from exc

    def delete_prefix(self, prefix: str) -> None:
        keys = [key for key, _size in self.list(prefix)]
        try:
            for start in range(0, len(keys), 1000):  # DeleteObjects takes 1000 at a time
                batch = [{"Key": self.prefix + k} for k in keys[start : start + 1000]]
                self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
        except _FAILURES as exc:
            raise StorageUnavailable(f"could not delete {prefix} in S3: {exc}") from exc
