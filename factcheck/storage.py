"""Stored files, kept by content: archived snapshots of web pages and evidence files.

Every file is stored once under the SHA-256 of its bytes, however often it recurs (the same
press release archived for ten claims, the same PDF attached twice). What a file *is* — its
name, who added it, to which claim, whether readers may see it — lives in the database; the
store holds bytes only, and a stored file never changes (a new version is a new hash).

Two backends, chosen by configuration (``FACTCHECK_STORAGE``):

* ``local`` (the default): a folder, ``instance/files`` unless ``FACTCHECK_STORAGE_DIR``
  says otherwise, laid out ``ab/cd/abcd…`` so that no folder grows past a few thousand
  entries. One application server, or several sharing a network file system.
* ``s3``: an S3-compatible bucket (``FACTCHECK_S3_BUCKET``, ``FACTCHECK_S3_ENDPOINT_URL`` …),
  for deployments with several application servers.

A file is written under a temporary name and moved into place only once every byte is in and
its hash is known, so that a stop half-way leaves no half file under a real name.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

#: What is read from a stream at a time while it is hashed and written.
CHUNK = 64 * 1024
_HASH = re.compile(r"\A[0-9a-f]{64}\Z")


class StorageError(Exception):
    """The store could not keep or give back a file; the message says why."""


class TooLarge(StorageError):
    """The stream had more bytes than the limit it was read with (nothing is kept)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit:,} bytes")
        self.limit = limit


class NotStored(StorageError):
    """No file with that hash is in the store."""


@dataclass(frozen=True)
class Stored:
    """A file in the store: its hash (the key), its size, and whether this call added it."""

    sha256: str
    size: int
    added: bool


def check_hash(sha256: str) -> str:
    """``sha256`` if it is a lower-case hex SHA-256, else ``NotStored`` (never a path)."""
    if not isinstance(sha256, str) or not _HASH.match(sha256):
        raise NotStored(f"{sha256!r} is not a stored file's hash")
    return sha256


def _spool(stream: IO[bytes] | bytes, limit: int | None, into: IO[bytes]) -> tuple[str, int]:
    """Copy ``stream`` into ``into``, hashing; ``TooLarge`` past ``limit`` bytes."""
    digest = hashlib.sha256()
    size = 0
    if isinstance(stream, (bytes, bytearray, memoryview)):
        data = bytes(stream)
        if limit is not None and len(data) > limit:
            raise TooLarge(limit)
        digest.update(data)
        into.write(data)
        return digest.hexdigest(), len(data)
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if limit is not None and size > limit:
            raise TooLarge(limit)
        digest.update(chunk)
        into.write(chunk)
    return digest.hexdigest(), size


class Store(Protocol):
    """What every backend does."""

    #: A short description for the admin and the README (``local folder …``, ``S3 bucket …``).
    description: str

    def put(self, stream: IO[bytes] | bytes, *, limit: int | None = None) -> Stored:
        """Keep the bytes (read to the end, at most ``limit``) and return their hash."""

    def open(self, sha256: str) -> IO[bytes]:
        """The stored bytes, to read (``NotStored`` if absent)."""

    def exists(self, sha256: str) -> bool:
        """Whether a file with that hash is stored."""

    def size(self, sha256: str) -> int:
        """Its size in bytes (``NotStored`` if absent)."""

    def hashes(self) -> Iterator[str]:
        """Every stored hash (for backups and checks), in no set order."""


class LocalStore:
    """Files in a folder: ``root/ab/cd/abcd…``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.description = f"local folder {self.root}"

    def path(self, sha256: str) -> Path:
        check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: IO[bytes] | bytes, *, limit: int | None = None) -> Stored:
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=incoming, prefix="put-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = _spool(stream, limit, out)
                out.flush()
                os.fsync(out.fileno())
            final = self.path(sha256)
            if final.exists():
                return Stored(sha256, size, False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temp, 0o640)
            os.replace(temp, final)  # atomic: another writer of the same bytes wrote the same file
            return Stored(sha256, size, True)
        finally:
            temp.unlink(missing_ok=True)

    def open(self, sha256: str) -> IO[bytes]:
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise NotStored(f"no stored file {sha256}") from None

    def exists(self, sha256: str) -> bool:
        try:
            return self.path(sha256).is_file()
        except NotStored:
            return False

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise NotStored(f"no stored file {sha256}") from None

    def hashes(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue  # "incoming", and anything else that is not ours
            for second in sorted(first.iterdir()):
                for file in sorted(second.iterdir()):
                    if _HASH.match(file.name):
                        yield file.name

    def copy_to(self, sha256: str, target: IO[bytes]) -> None:
        with self.open(sha256) as source:
            shutil.copyfileobj(source, target, CHUNK)


class _Body:
    """An S3 object's body as a file to read (and close, or use in ``with``)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self._body.close()

    def __enter__(self) -> _Body:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class S3Store:
    """Files in an S3-compatible bucket, under ``prefix`` + ``ab/cd/abcd…`` (the local layout).

    For several application servers: each reads and writes the same bucket. Credentials come
    from the standard AWS chain (``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` in the
    environment, a shared credentials file, or an instance role): never from this
    application's configuration. A file is hashed (and bounded) in a spooled temporary file
    before anything is sent, and uploaded under its hash only if the bucket does not hold it
    yet; an S3 upload is all or nothing, so no half file is ever visible under a real key.
    """

    #: Bytes of an upload kept in memory before the spool moves to a temporary file.
    SPOOL_IN_MEMORY = 8 * 1024 * 1024

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 prefix: str = "", client: Any | None = None) -> None:
        self.bucket = bucket
        prefix = prefix.strip().strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.endpoint_url = endpoint_url
        where = f" at {endpoint_url}" if endpoint_url else ""
        self.description = f"S3 bucket {bucket}{where}" + (f", keys under {self.prefix}" if self.prefix else "")
        if client is None:
            import boto3
            from botocore.config import Config as BotoConfig

            # Bounded waits: a store that hangs must not hold a web worker past its timeout.
            client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=BotoConfig(
                connect_timeout=5, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}))
        self.client = client

    def key(self, sha256: str) -> str:
        check_hash(sha256)
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _missing(self, error: Exception) -> bool:
        response = getattr(error, "response", None) or {}
        code = str(response.get("Error", {}).get("Code", ""))
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return code in ("404", "NoSuchKey", "NotFound") or status == 404

    def _fail(self, what: str, error: Exception) -> StorageError:
        return StorageError(f"{self.description}: could not {what}: {error}")

    def put(self, stream: IO[bytes] | bytes, *, limit: int | None = None) -> Stored:
        with tempfile.SpooledTemporaryFile(max_size=self.SPOOL_IN_MEMORY) as spool:
            sha256, size = _spool(stream, limit, spool)
            if self.exists(sha256):
                return Stored(sha256, size, False)
            spool.seek(0)
            try:
                self.client.upload_fileobj(spool, self.bucket, self.key(sha256), ExtraArgs={
                    "ContentType": "application/octet-stream", "Metadata": {"sha256": sha256}})
            except Exception as error:  # botocore's ClientError, BotoCoreError and network errors
                raise self._fail(f"store {sha256}", error) from None
            return Stored(sha256, size, True)

    def open(self, sha256: str) -> IO[bytes]:
        key = self.key(sha256)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except Exception as error:
            if self._missing(error):
                raise NotStored(f"no stored file {sha256}") from None
            raise self._fail(f"read {sha256}", error) from None
        return _Body(answer["Body"])  # type: ignore[return-value]

    def _head(self, sha256: str) -> dict[str, Any] | None:
        key = self.key(sha256)
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except Exception as error:
            if self._missing(error):
                return None
            raise self._fail(f"look up {sha256}", error) from None

    def exists(self, sha256: str) -> bool:
        try:
            check_hash(sha256)
        except NotStored:
            return False
        return self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        head = self._head(sha256)
        if head is None:
            raise NotStored(f"no stored file {sha256}")
        return int(head["ContentLength"])

    def hashes(self) -> Iterator[str]:
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    name = item["Key"][len(self.prefix):]
                    parts = name.split("/")
                    if len(parts) == 3 and _HASH.match(parts[2]) and parts[0] == parts[2][:2] \
                            and parts[1] == parts[2][2:4]:
                        yield parts[2]
        except Exception as error:
            raise self._fail("list the bucket", error) from None

    def copy_to(self, sha256: str, target: IO[bytes]) -> None:
        with self.open(sha256) as source:
            shutil.copyfileobj(source, target, CHUNK)


def store_from_config(config: Any) -> Store:
    """The store a configuration names (``STORAGE_BACKEND``: ``local`` or ``s3``)."""
    backend = str(config.get("STORAGE_BACKEND") or "local").strip().lower()
    if backend == "local":
        return LocalStore(config["STORAGE_DIR"])
    if backend == "s3":
        bucket = str(config.get("S3_BUCKET") or "").strip()
        if not bucket:
            raise StorageError("FACTCHECK_STORAGE=s3 needs FACTCHECK_S3_BUCKET (the bucket's name).")
        return S3Store(
            bucket,
            endpoint_url=str(config.get("S3_ENDPOINT_URL") or "").strip() or None,
            region=str(config.get("S3_REGION") or "").strip() or None,
            prefix=str(config.get("S3_PREFIX") or ""),
        )
    raise StorageError(f"FACTCHECK_STORAGE={backend!r}: use local (a folder) or s3 (an S3-compatible bucket).")


def get_store(app: Any | None = None) -> Store:
    """The application's store (made once per application)."""
    if app is None:
        from flask import current_app

        app = current_app
    store = app.extensions.get("factcheck.storage")
    if store is None:
        store = app.extensions["factcheck.storage"] = store_from_config(app.config)
    return store
