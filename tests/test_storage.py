"""The file store's two backends, held to one contract: a local folder, and an S3-compatible
bucket — the latter against a real S3 server (moto's, started on loopback by the test)."""

from __future__ import annotations

import hashlib
import io
import socket
from collections.abc import Iterator

import pytest

from factcheck.storage import LocalStore, NotStored, S3Store, StorageError, TooLarge, store_from_config


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server on a free loopback port (moto's), for this module's tests."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed (pip install -e '.[dev]')")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials as a deployment gives them: the standard AWS environment variables."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "factcheck-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "factcheck-test-secret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def new_bucket(endpoint: str, name: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=name)


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, unique):
    if request.param == "local":
        return LocalStore(tmp_path / "files")
    endpoint = request.getfixturevalue("s3_endpoint")
    request.getfixturevalue("aws_credentials")
    bucket = f"factcheck-{unique}"
    new_bucket(endpoint, bucket)
    return store_from_config({"STORAGE_BACKEND": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint,
                              "S3_REGION": "us-east-1", "S3_PREFIX": "newsroom/"})


def test_a_file_is_kept_once_under_its_hash(store) -> None:
    data = b"%PDF-1.4 the ministry's memo"
    sha = hashlib.sha256(data).hexdigest()
    first = store.put(io.BytesIO(data))
    assert (first.sha256, first.size, first.added) == (sha, len(data), True)
    again = store.put(data)
    assert (again.sha256, again.added) == (sha, False)
    assert store.exists(sha) and store.size(sha) == len(data)
    with store.open(sha) as fh:
        assert fh.read() == data
    assert list(store.hashes()) == [sha]


def test_a_file_over_the_limit_leaves_nothing(store) -> None:
    with pytest.raises(TooLarge):
        store.put(io.BytesIO(b"x" * 5000), limit=4096)
    with pytest.raises(TooLarge):
        store.put(b"x" * 5000, limit=4096)
    assert list(store.hashes()) == []
    assert store.put(b"x" * 4096, limit=4096).size == 4096


def test_what_is_not_stored_is_not_found_and_never_a_path(store) -> None:
    absent = "ab" * 32
    assert not store.exists(absent)
    for name in (absent, "../../etc/passwd", "AB" * 32, "", "0" * 63):
        with pytest.raises(NotStored):
            store.open(name)
        with pytest.raises(NotStored):
            store.size(name)
        assert not store.exists(name)


def test_local_files_are_laid_out_by_hash_and_half_files_never_show(tmp_path) -> None:
    store = LocalStore(tmp_path / "files")
    stored = store.put(b"evidence")
    path = store.path(stored.sha256)
    assert path.relative_to(tmp_path / "files").parts == (stored.sha256[:2], stored.sha256[2:4], stored.sha256)
    assert list((tmp_path / "files" / "incoming").iterdir()) == []

    class Breaks(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            raise OSError("the connection dropped")

    with pytest.raises(OSError):
        store.put(Breaks())
    assert list((tmp_path / "files" / "incoming").iterdir()) == [] and list(store.hashes()) == [stored.sha256]


def test_s3_keys_are_under_the_prefix(s3_endpoint, aws_credentials, unique) -> None:
    import boto3

    bucket = f"prefixed-{unique}"
    new_bucket(s3_endpoint, bucket)
    store = S3Store(bucket, endpoint_url=s3_endpoint, region="us-east-1", prefix="/desk/")
    sha = store.put(b"a photo").sha256
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"desk/{sha[:2]}/{sha[2:4]}/{sha}"]
    client.put_object(Bucket=bucket, Key="desk/README", Body=b"not ours")
    client.put_object(Bucket=bucket, Key="elsewhere/" + sha, Body=b"not ours either")
    assert list(store.hashes()) == [sha]
    assert "S3 bucket" in store.description and bucket in store.description


def test_s3_configuration_is_checked() -> None:
    with pytest.raises(StorageError, match="FACTCHECK_S3_BUCKET"):
        store_from_config({"STORAGE_BACKEND": "s3"})
    with pytest.raises(StorageError, match="use local"):
        store_from_config({"STORAGE_BACKEND": "ftp"})


def test_an_unreachable_bucket_is_a_storage_error(aws_credentials) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = S3Store("nowhere", endpoint_url=f"http://127.0.0.1:{port}", region="us-east-1")
    with pytest.raises(StorageError) as caught:
        store.put(b"evidence")
    assert not isinstance(caught.value, (NotStored, TooLarge)) and "could not" in str(caught.value)
    with pytest.raises(StorageError):
        store.open("ab" * 32)


def test_a_large_file_goes_to_the_bucket_in_parts_and_comes_back_whole(s3_endpoint, aws_credentials, unique) -> None:
    """Past 8 MB boto3 uploads in parts (multipart upload); past the in-memory spool, the
    bytes are hashed from a temporary file first."""
    bucket = f"large-{unique}"
    new_bucket(s3_endpoint, bucket)
    store = S3Store(bucket, endpoint_url=s3_endpoint, region="us-east-1")
    data = bytes(range(256)) * (12 * 4096)  # 12 MB
    stored = store.put(io.BytesIO(data), limit=len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and store.size(stored.sha256) == len(data)
    etag = store.client.head_object(Bucket=bucket, Key=store.key(stored.sha256))["ETag"]
    assert "-" in etag, "a multipart upload's ETag names its parts"
    with store.open(stored.sha256) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == stored.sha256
    with pytest.raises(TooLarge):
        store.put(io.BytesIO(data + b"!"), limit=len(data))
    assert list(store.hashes()) == [stored.sha256]
