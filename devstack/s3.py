"""MinIO built from source with `go install`, because it enforces presigned-POST policies (moto does not).

Uploads use presigned POST with `content-length-range` and a Content-Type condition; MinIO refuses an
over-size upload (400 EntityTooLarge) and a wrong type (403), moto's server stores both.
The Go proxy refuses MinIO's RELEASE.* tags, so the pin is the pseudo-version of its last commit.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from devstack.gotool import go_install
from devstack.layout import Address, address_of
from devstack.service import Service

PACKAGE = "github.com/minio/minio"
VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c"


class S3Service(Service):
    name = "s3"
    startup_timeout_s = 60.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.s3_endpoint_url or "http://127.0.0.1:9000", 9000)

    def install(self) -> None:
        go_install(self.paths, PACKAGE, VERSION, log_file=self.log_file)

    def argv(self) -> Sequence[str]:
        console = Address(self.address.host, self.address.port + 1)
        return [
            str(go_install(self.paths, PACKAGE, VERSION, log_file=self.log_file)),
            "server", str(self.data_dir),
            "--address", str(self.address),
            "--console-address", str(console),
            "--quiet",
        ]  # fmt: skip

    def env(self) -> Mapping[str, str]:
        return {
            "MINIO_ROOT_USER": self.settings.s3_access_key,
            "MINIO_ROOT_PASSWORD": self.settings.s3_secret_key.get_secret_value(),
            "MINIO_REGION": self.settings.s3_region,
            "MINIO_UPDATE": "off",
        }

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=f"http://{self.address}",
            region_name=self.settings.s3_region,
            aws_access_key_id=self.settings.s3_access_key,
            aws_secret_access_key=self.settings.s3_secret_key.get_secret_value(),
            config=Config(
                connect_timeout=1,
                read_timeout=2,
                retries={"max_attempts": 1},
                signature_version="s3v4",
                s3={"addressing_style": "path"},
            ),
        )

    def is_healthy(self) -> bool:
        try:
            self.client().list_buckets()
            return True
        except (BotoCoreError, ClientError):
            return False

    def on_ready(self) -> None:
        client = self.client()
        try:
            client.head_bucket(Bucket=self.settings.s3_bucket)
        except ClientError:
            client.create_bucket(Bucket=self.settings.s3_bucket)
