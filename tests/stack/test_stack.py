"""The local stack really serves each backing service: real writes and reads, no mocks."""

import os
import shutil
import signal
import smtplib
import socket
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from opensearchpy import OpenSearch
from pymongo import MongoClient

from devstack import control, ensure_stack_running, read_mail, status
from devstack.control import start
from devstack.layout import StackPaths, address_of
from devstack.postgres import PostgresService
from devstack.process import running_pid
from devstack.redis import RedisService
from devstack.s3 import S3Service
from migratio.settings import Settings

on_postgresql = pytest.mark.skipif(
    Settings().ferretdb_backend != "postgresql", reason="FERRETDB_BACKEND=sqlite: the stack runs no PostgreSQL"
)


@pytest.fixture(scope="module")
def stack() -> Settings:
    settings = Settings()
    ensure_stack_running(settings)
    return settings


@pytest.fixture
def name() -> str:
    return f"stack-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def s3(stack: Settings, name: str) -> Iterator[Any]:
    client = S3Service(stack, StackPaths(stack.stack_dir)).client()
    client.create_bucket(Bucket=name)
    yield client
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def test_ensure_stack_running_is_a_fast_no_op_when_up(stack: Settings) -> None:
    started = time.monotonic()
    ensure_stack_running(stack)
    assert time.monotonic() - started < 3.0


def test_status_reports_every_service_up(stack: Settings) -> None:
    lines = status(stack)
    backend = ["postgres"] if stack.ferretdb_backend == "postgresql" else []
    assert [line.name for line in lines] == [
        "mongodb", *backend, "redis", "opensearch", "s3", "smtp", "stripe", "oidc", "worker", "twilio", "fcm"
    ]  # fmt: skip
    assert all(line.healthy for line in lines)


def test_ferretdb_inserts_and_finds_a_document(stack: Settings, name: str) -> None:
    client: MongoClient[dict[str, Any]] = MongoClient(stack.mongodb_url, serverSelectionTimeoutMS=2000)
    db = client[name.replace("-", "_")]
    try:
        db.people.create_index("email", unique=True)
        db.people.insert_one({"email": "ana@example.org", "country": "PT", "score": 469})
        found = db.people.find_one({"email": "ana@example.org"}, {"_id": 0})
        assert found == {"email": "ana@example.org", "country": "PT", "score": 469}
        assert db.people.count_documents({"country": "PT"}) == 1
    finally:
        client.drop_database(db.name)
        client.close()


@on_postgresql
def test_postgres_runs_its_own_cluster_on_loopback_as_a_non_root_role_owner(stack: Settings) -> None:
    postgres = PostgresService(stack, StackPaths(stack.stack_dir))
    settings = postgres.psql(
        "SELECT current_setting('listen_addresses'), current_setting('port'), current_setting('data_directory'),"
        " current_setting('server_encoding')"
    )
    data_directory = postgres.data_dir
    assert settings == f"127.0.0.1|{postgres.address.port}|{data_directory}|UTF8"
    assert postgres.psql(f"SELECT 1 FROM pg_database WHERE datname = '{postgres.database}'") == "1"
    assert data_directory.stat().st_uid != 0


def test_postgres_cluster_moves_out_of_a_stack_its_os_user_cannot_enter(stack: Settings, tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    postgres = PostgresService(stack, StackPaths(closed / ".stack"))
    if os.geteuid() == 0:
        assert postgres.data_dir.parent.parent == Path("/var/lib/postgresql")
        assert postgres.socket_dir.parent == postgres.data_dir.parent
    else:
        assert postgres.data_dir == closed / ".stack" / "data" / "postgres"
    open_stack = PostgresService(stack, StackPaths(stack.stack_dir))
    assert open_stack.data_dir != postgres.data_dir


@on_postgresql
def test_ferretdb_stores_documents_in_the_stack_postgres(stack: Settings, name: str) -> None:
    client: MongoClient[dict[str, Any]] = MongoClient(stack.mongodb_url, serverSelectionTimeoutMS=2000)
    db = client[name.replace("-", "_")]
    postgres = PostgresService(stack, StackPaths(stack.stack_dir))
    try:
        db.people.insert_one({"email": "ana@example.org"})
        warnings = client.admin.command({"getLog": "startupWarnings"})["log"]
        assert any("and PostgreSQL " in line for line in warnings), warnings
        # FerretDB keeps each MongoDB database as a schema of its PostgreSQL database
        schema = f"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{db.name}'"
        assert postgres.psql(schema, database=postgres.database) == "1"
    finally:
        client.drop_database(db.name)
        client.close()
    assert postgres.psql(schema, database=postgres.database) == "0"


def test_redis_keeps_an_append_only_file_like_production(stack: Settings) -> None:
    client = redis.Redis.from_url(stack.redis_url)
    try:
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("dir") == {"dir": str(stack.stack_dir / "data" / "redis")}
    finally:
        client.close()


def test_redis_keeps_a_key_across_a_restart_by_the_stack(stack: Settings, name: str) -> None:
    # a Redis of its own (same command line as the stack's): restarting the shared one would fail other tests
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    own = stack.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"})
    service = RedisService(own, StackPaths(stack.stack_dir))
    service.name = name
    client = redis.Redis.from_url(own.redis_url)
    try:
        start(service)
        client.set("queued-job", "report-1")
        assert service.stop()
        start(service)
        assert client.get("queued-job") == b"report-1"
    finally:
        client.close()
        service.stop()
        shutil.rmtree(service.data_dir, ignore_errors=True)
        service.log_file.unlink(missing_ok=True)


def test_a_hung_service_is_started_afresh_by_up(stack: Settings, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control, "HUNG_AFTER_S", 2.0)  # the patience `up` has for a busy service, shortened
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    own = stack.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"})
    service = RedisService(own, StackPaths(stack.stack_dir))
    service.name = name
    try:
        start(service)
        hung = running_pid(service.pid_file)
        assert hung is not None
        os.kill(hung, signal.SIGSTOP)  # still running, answering nothing
        assert not service.is_healthy()
        start(service)
        assert running_pid(service.pid_file) not in (None, hung)
        assert service.is_healthy()
    finally:
        service.stop()
        shutil.rmtree(service.data_dir, ignore_errors=True)
        service.log_file.unlink(missing_ok=True)


def test_redis_sets_and_gets_a_key(stack: Settings, name: str) -> None:
    client = redis.Redis.from_url(stack.redis_url)
    try:
        client.set(name, "value", ex=60)
        assert client.get(name) == b"value"
    finally:
        client.delete(name)
        client.close()


def test_opensearch_fuzzy_multi_match_uses_english_stemming_folding_and_highlights(stack: Settings, name: str) -> None:
    address = address_of(stack.opensearch_url, 9200)
    client = OpenSearch(hosts=[{"host": address.host, "port": address.port}], timeout=10)
    client.indices.create(
        index=name,
        body={
            "settings": {
                "number_of_replicas": 0,
                "analysis": {
                    "filter": {"english_stemmer": {"type": "stemmer", "language": "english"}},
                    "analyzer": {
                        "english_folded": {
                            "tokenizer": "standard",
                            "filter": ["lowercase", "asciifolding", "english_stemmer"],
                        }
                    },
                },
            },
            "mappings": {
                "properties": {
                    "title": {"type": "text", "analyzer": "english_folded"},
                    "summary": {"type": "text", "analyzer": "english_folded"},
                    "country": {"type": "keyword"},
                }
            },
        },
    )
    try:
        documents = {
            "ca-express": ("Express Entry", "Skilled workers immigrating to Canada", "CA"),
            "de-chancenkarte": ("Chancenkarte", "Opportunity card for jobseekers in Germany", "DE"),
            "nz-smc": ("Skilled Migrant Category", "Residence for skilled migrants in New Zealand", "NZ"),
        }
        for doc_id, (title, summary, country) in documents.items():
            client.index(index=name, id=doc_id, body={"title": title, "summary": summary, "country": country})
        client.indices.refresh(index=name)

        # "skiled" is a typo (fuzzy), "migrants" stems to "migrant", "Résidence" folds to "residence"
        result = client.search(
            index=name,
            body={
                "query": {
                    "multi_match": {
                        "query": "skiled migrants Résidence",
                        "fields": ["title^2", "summary"],
                        "fuzziness": "AUTO",
                    }
                },
                "highlight": {"fields": {"summary": {}}},
                "aggs": {"countries": {"terms": {"field": "country"}}},
            },
        )
        hits = result["hits"]["hits"]
        assert hits[0]["_id"] == "nz-smc"
        assert {hit["_id"] for hit in hits} == {"nz-smc", "ca-express"}
        assert "<em>Residence</em>" in hits[0]["highlight"]["summary"][0]
        buckets = {b["key"]: b["doc_count"] for b in result["aggregations"]["countries"]["buckets"]}
        assert buckets == {"NZ": 1, "CA": 1}
    finally:
        client.indices.delete(index=name)
        client.close()


def test_s3_puts_and_gets_an_object(s3: Any, name: str) -> None:
    s3.put_object(Bucket=name, Key="docs/passport.pdf", Body=b"%PDF-1.7", ContentType="application/pdf")
    stored = s3.get_object(Bucket=name, Key="docs/passport.pdf")
    assert stored["Body"].read() == b"%PDF-1.7"
    assert stored["ContentType"] == "application/pdf"


def _presigned_upload(s3: Any, bucket: str, key: str, body: bytes, content_type: str) -> httpx.Response:
    post = s3.generate_presigned_post(
        bucket,
        key,
        Fields={"Content-Type": content_type},
        Conditions=[["content-length-range", 1, 1024], ["starts-with", "$Content-Type", "application/pdf"]],
        ExpiresIn=300,
    )
    fields = {**post["fields"], "Content-Type": content_type}
    return httpx.post(post["url"], data=fields, files={"file": ("upload", body, content_type)}, timeout=10)


def test_s3_accepts_a_presigned_post_within_its_policy(s3: Any, name: str) -> None:
    response = _presigned_upload(s3, name, "uploads/ok.pdf", b"x" * 512, "application/pdf")
    assert response.status_code == 204
    assert s3.head_object(Bucket=name, Key="uploads/ok.pdf")["ContentLength"] == 512


def test_s3_refuses_an_oversize_presigned_post_and_stores_nothing(s3: Any, name: str) -> None:
    response = _presigned_upload(s3, name, "uploads/big.pdf", b"x" * 4096, "application/pdf")
    assert response.status_code == 400
    assert "<Code>EntityTooLarge</Code>" in response.text
    assert s3.list_objects_v2(Bucket=name).get("KeyCount") == 0


def test_s3_refuses_a_presigned_post_of_the_wrong_content_type(s3: Any, name: str) -> None:
    response = _presigned_upload(s3, name, "uploads/page.html", b"<html>", "text/html")
    assert response.status_code == 403
    assert s3.list_objects_v2(Bucket=name).get("KeyCount") == 0


def test_smtp_sink_keeps_each_message_for_read_mail(stack: Settings, name: str) -> None:
    to, hidden = f"{name}@example.org", f"{name}-bcc@example.org"
    message = EmailMessage()
    message["From"] = stack.mail_from
    message["To"] = to
    message["Subject"] = "Your roadmap is ready — ça marche"
    message.set_content("Hello Ana,\nyour roadmap is attached.\n")
    address = address_of(stack.smtp_url, 25)
    with smtplib.SMTP(address.host, address.port, timeout=5) as client:
        client.send_message(message, to_addrs=[to, hidden])

    [received] = read_mail(stack.stack_dir, to=to)
    assert received["Subject"] == "Your roadmap is ready — ça marche"
    assert received.get_content() == "Hello Ana,\nyour roadmap is attached.\n"
    assert [m["Subject"] for m in read_mail(stack.stack_dir, to=hidden.upper())] == [received["Subject"]]
    assert read_mail(stack.stack_dir, to=f"nobody-{name}@example.org") == []
