"""Shapes of uploaded documents: metadata, the presigned upload form, share links."""

from datetime import datetime
from typing import Any

import strawberry

from domain.documents import model
from schema.permissions import CanSeePerson, IsOwner, Private, guarded
from schema.users import FormField

DocumentStatus = strawberry.enum(model.DocumentStatus, description="uploaded → in review → verified or rejected")


def visible(**options: Any) -> Any:
    """The owner, their assigned advisor (reading through the advisor's fields) and admins."""
    return guarded(CanSeePerson(), **options)


@strawberry.type(description="A document you uploaded for your checklist.", directives=[Private()])
class Document:
    owner_id: strawberry.Private[str]
    advisor_id: strawberry.Private[str | None]
    id: strawberry.ID = visible()
    category: str = visible(description="The checklist item key it is filed under, e.g. police_certificates:IN")
    content_type: str = visible()
    size_bytes: int = visible()
    status: model.DocumentStatus = visible()
    rejection_reason: str | None = visible()
    sha256: str | None = visible(
        description="SHA-256 (hex) of the file as confirmed: each confirmed upload is a new "
        "version, pending review again; null for documents recorded before"
    )
    uploaded_at: datetime = visible()
    updated_at: datetime = visible()

    @classmethod
    def from_domain(cls, d: model.Document, advisor_id: str | None = None) -> "Document":
        return cls(
            owner_id=d.owner_id,
            advisor_id=advisor_id,
            id=strawberry.ID(d.id),
            category=d.category,
            content_type=d.content_type,
            size_bytes=d.size,
            status=d.status,
            rejection_reason=d.rejection_reason,
            sha256=d.sha256,
            uploaded_at=d.uploaded_at,
            updated_at=d.updated_at,
        )


@strawberry.type(
    description="POST `fields` then the file (multipart/form-data) to `url`; the store refuses "
    "another type or a larger file. Then call confirmDocumentUpload with `id`.",
    directives=[Private()],
)
class DocumentUpload:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(IsOwner())
    url: str = guarded(IsOwner())
    fields: list[FormField] = guarded(IsOwner())
    expires_at: datetime = guarded(IsOwner())
    max_bytes: int = guarded(IsOwner())
    content_type: str = guarded(IsOwner())

    @classmethod
    def from_domain(cls, owner_id: str, t: model.UploadTicket) -> "DocumentUpload":
        return cls(
            owner_id=owner_id,
            id=strawberry.ID(t.id),
            url=t.url,
            fields=[FormField(name=k, value=v) for k, v in t.fields.items()],
            expires_at=t.expires_at,
            max_bytes=t.max_bytes,
            content_type=t.content_type,
        )


@strawberry.type(description="A link anyone holding it can open until it expires.", directives=[Private()])
class DocumentShareLink:
    owner_id: strawberry.Private[str]
    url: str = guarded(IsOwner())
    expires_at: datetime = guarded(IsOwner())

    @classmethod
    def from_domain(cls, owner_id: str, link: model.ShareLink) -> "DocumentShareLink":
        return cls(owner_id=owner_id, url=link.url, expires_at=link.expires_at)
