"""One settings class: every value comes from the environment (or `.env`), with local-stack defaults."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Defaults point at the embedded local stack; production sets the URLs to Atlas, OpenSearch, Redis, S3."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = Field("development", description="development | test | production")
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = 8000

    mongodb_url: str = "mongodb://127.0.0.1:27117/"
    mongodb_db: str = "migratio"
    redis_url: str = "redis://127.0.0.1:6390/0"
    opensearch_url: str = "http://127.0.0.1:9201"
    opensearch_index_prefix: str = "migratio"
    opensearch_transport_port: int = Field(9301, description="local stack only: node-to-node port")
    s3_endpoint_url: str | None = "http://127.0.0.1:9100"
    s3_region: str = "us-east-1"
    s3_bucket: str = "migratio"
    s3_access_key: str = "migratio"
    s3_secret_key: SecretStr = SecretStr("migratio-secret")
    smtp_url: str = "smtp://127.0.0.1:2526"
    mail_from: str = "Migratio <no-reply@migratio.local>"

    stack_dir: Path = PROJECT_ROOT / ".stack"
    dependency_timeout_s: float = Field(2.0, description="connect/read timeout for every backing service")
    cors_origins: list[str] = ["http://localhost:3000", "http://127.0.0.1:3000"]
    log_level: str = "INFO"
    migrate_on_start: bool = True
    expose_query_stats: bool = Field(True, description="add the Mongo command count to GraphQL extensions")


@lru_cache
def get_settings() -> Settings:
    return Settings()
