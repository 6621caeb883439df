"""An uploaded document: its file in object storage, its metadata here, its review by an advisor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DocumentStatus(StrEnum):
    UPLOADED = "uploaded"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    owner_id: str
    category: str  # a checklist item key: "passport", "police_certificates:IN"
    object_key: str
    content_type: str
    size: int
    status: DocumentStatus
    uploaded_at: datetime
    updated_at: datetime
    reviewer_id: str | None = None
    rejection_reason: str | None = None
    # Each confirmed upload is a version stored under a key of its own, fixed at confirmation; a review holds
    # for the version it began on (None: recorded before versions were).
    version: str | None = None
    sha256: str | None = None
    etag: str | None = None
    reviewed_version: str | None = None


@dataclass(frozen=True, slots=True)
class UploadTicket:
    """A presigned POST: send `fields` then the file to `url`; the store enforces the type and size."""

    id: str
    url: str
    fields: Mapping[str, str]
    expires_at: datetime
    max_bytes: int
    content_type: str


@dataclass(frozen=True, slots=True)
class PresignedForm:
    url: str
    fields: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    size: int
    content_type: str | None
    metadata: Mapping[str, str]
    etag: str | None = None
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class FrozenFile:
    """An upload copied to its version's key, as it was when copied."""

    key: str
    size: int
    etag: str
    sha256: str


@dataclass(frozen=True, slots=True)
class ShareLink:
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentPolicy:
    max_bytes: int
    content_types: tuple[str, ...]
    upload_ttl_s: int
    max_share_minutes: int
