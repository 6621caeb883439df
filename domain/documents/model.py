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
