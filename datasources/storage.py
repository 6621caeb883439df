"""S3 object storage; boto3 is blocking, so every call runs in a worker thread."""

from dataclasses import dataclass
from typing import Any

import boto3
from anyio import to_thread
from botocore.config import Config


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
