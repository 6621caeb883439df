"""S3 object storage; boto3 is blocking, so every call that does I/O runs in a worker thread."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import boto3
from anyio import to_thread
from botocore.config import Config
from botocore.exceptions import ClientError

from domain.documents.model import FrozenFile, PresignedForm, StoredFile
from domain.users.model import JsonValue, PresignedPost, StoredObject


def connect(endpoint_url: str | None, region: str, access_key: str, secret_key: str, timeout_s: float) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(
            connect_timeout=timeout_s,
            read_timeout=timeout_s * 5,
            retries={"max_attempts": 1},
            signature_version="s3v4",
            s3={"addressing_style": "path"},
        ),
    )


@dataclass
class ObjectStore:
    client: Any
    bucket: str

    async def head_bucket(self) -> None:
        await to_thread.run_sync(lambda: self.client.head_bucket(Bucket=self.bucket))

    async def presigned_post(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, now: datetime
    ) -> PresignedPost:
        """The policy pins the key and content type and bounds the size; S3 refuses anything else."""
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_s,
        )
        return PresignedPost(post["url"], dict(post["fields"]), key, now + timedelta(seconds=expires_s), max_bytes)

    async def head(self, key: str) -> StoredObject | None:
        try:
            found = await to_thread.run_sync(lambda: self.client.head_object(Bucket=self.bucket, Key=key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return StoredObject(key, int(found["ContentLength"]), found.get("ContentType"))

    async def put(self, key: str, body: bytes, content_type: str) -> None:
        await to_thread.run_sync(
            lambda: self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)
        )

    def download_url(self, key: str, expires_s: int) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_s
        )
        return url

    async def delete(self, key: str) -> None:
        await to_thread.run_sync(lambda: self.client.delete_object(Bucket=self.bucket, Key=key))

    async def list_objects(self, prefix: str) -> list[StoredObject]:
        def listing() -> list[StoredObject]:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
            return [
                StoredObject(item["Key"], int(item["Size"]), None)
                for page in pages
                for item in page.get("Contents", [])
            ]

        return await to_thread.run_sync(listing)

    async def delete_prefix(self, prefix: str) -> int:
        keys = [item.key for item in await self.list_objects(prefix)]

        def delete_all() -> None:
            for start in range(0, len(keys), 1000):
                batch = [{"Key": key} for key in keys[start : start + 1000]]
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})

        await to_thread.run_sync(delete_all)
        return len(keys)


@dataclass
class UserFiles:
    """Files kept for a person under `users/<id>/`: listed in their export, removed with their account."""

    store: ObjectStore
    name: str = "files"

    async def export(self, user_id: str) -> JsonValue:
        return [{"key": item.key, "bytes": item.size} for item in await self.store.list_objects(f"users/{user_id}/")]

    async def erase(self, user_id: str) -> None:
        await self.store.delete_prefix(f"users/{user_id}/")


_GONE_OR_CHANGED = ("404", "NoSuchKey", "NotFound", "412", "PreconditionFailed")


def _etag(value: str | None) -> str | None:
    return None if value is None else value.strip('"')


def _metadata_fields(metadata: Mapping[str, str]) -> dict[str, str]:
    return {f"x-amz-meta-{name}": value for name, value in metadata.items()}


@dataclass
class DocumentFileStore:
    """Files with metadata the upload policy pins, for documents and reports (over the same bucket)."""

    store: ObjectStore

    async def presigned_upload(
        self, key: str, content_type: str, max_bytes: int, metadata: Mapping[str, str], expires_s: int
    ) -> PresignedForm:
        fields = {"Content-Type": content_type, **_metadata_fields(metadata)}
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        conditions.append(["content-length-range", 1, max_bytes])
        post = await to_thread.run_sync(
            lambda: self.store.client.generate_presigned_post(
                Bucket=self.store.bucket,
                Key=key,
                Fields=fields,
                Conditions=conditions,
                ExpiresIn=expires_s,
            )
        )
        return PresignedForm(post["url"], dict(post["fields"]))

    async def stat(self, key: str) -> StoredFile | None:
        try:
            found = await to_thread.run_sync(lambda: self.store.client.head_object(Bucket=self.store.bucket, Key=key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return StoredFile(
            key,
            int(found["ContentLength"]),
            found.get("ContentType"),
            dict(found.get("Metadata", {})),
            _etag(found.get("ETag")),
            found.get("LastModified"),
        )

    async def freeze(self, source_key: str, target_key: str, etag: str) -> FrozenFile | None:
        """A server-side copy guarded by the source's ETag, then the copy read back to hash what will be served."""
        client, bucket = self.store.client, self.store.bucket

        def copy_and_hash() -> FrozenFile | None:
            try:
                copied = client.copy_object(
                    Bucket=bucket,
                    Key=target_key,
                    MetadataDirective="COPY",
                    CopySource={"Bucket": bucket, "Key": source_key},
                    CopySourceIfMatch=f'"{etag}"',
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in _GONE_OR_CHANGED:
                    return None
                raise
            target_etag = _etag(copied.get("CopyObjectResult", {}).get("ETag")) or ""
            found = client.get_object(Bucket=bucket, Key=target_key, IfMatch=f'"{target_etag}"')
            digest = hashlib.sha256()
            for chunk in iter(lambda: found["Body"].read(1 << 20), b""):
                digest.update(chunk)
            return FrozenFile(target_key, int(found["ContentLength"]), target_etag, digest.hexdigest())

        return await to_thread.run_sync(copy_and_hash)

    async def put(self, key: str, body: bytes, content_type: str) -> None:
        await self.store.put(key, body, content_type)

    async def delete(self, key: str) -> None:
        await self.store.delete(key)

    def download_url(self, key: str, expires_s: int) -> str:
        return self.store.download_url(key, expires_s)
