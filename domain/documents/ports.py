"""What the document use cases need: metadata storage scoped to the owner, the file store, who advises whom."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from domain.documents.model import Document, DocumentStatus, FrozenFile, PresignedForm, StoredFile
from domain.notifications.model import Message


class DocumentRepository(Protocol):
    async def insert(self, document: Document) -> bool:
        """False when a document with this id exists already (a repeated confirmation)."""
        ...

    async def for_owner(self, owner_id: str, document_id: str) -> Document | None: ...

    async def list_for_owner(self, owner_id: str, limit: int) -> list[Document]: ...

    async def owner_of(self, document_id: str) -> str | None:
        """Only to find whose advisor may review it; the document itself is read scoped to that owner."""
        ...

    async def transition(
        self,
        owner_id: str,
        document_id: str,
        expected: DocumentStatus | None,
        changes: dict[str, object],
        version: str | None = None,
    ) -> Document | None:
        """Apply `changes` only if the status is still `expected` (any when None) and, when given, the version
        still `version` (one atomic compare-and-set); the result or None."""
        ...

    async def spend_upload(self, document_id: str, upload_tag: str) -> bool:
        """True for exactly one caller per stored upload (`upload_tag` names the object as stored): each upload
        through a form is confirmed once."""
        ...

    async def delete_for_owner(self, owner_id: str, document_id: str) -> bool: ...

    async def verified_categories(self, owner_id: str) -> frozenset[str]: ...

    async def stored_bytes(self, owner_id: str, excluding: str | None = None) -> int:
        """The size of the owner's documents' current versions, leaving out the document `excluding`."""
        ...


class DocumentFiles(Protocol):
    async def presigned_upload(
        self, key: str, content_type: str, max_bytes: int, metadata: Mapping[str, str], expires_s: int
    ) -> PresignedForm:
        """A POST form whose policy pins the key, content type and metadata and caps the size."""
        ...

    async def stat(self, key: str) -> StoredFile | None: ...

    async def freeze(self, source_key: str, target_key: str, etag: str) -> FrozenFile | None:
        """Copy the upload to its version's key only while it still has `etag`, and hash the copy; None when
        the upload is gone or changed meanwhile."""
        ...

    async def delete(self, key: str) -> None: ...

    def download_url(self, key: str, expires_s: int) -> str: ...


class DocumentAllowance(Protocol):
    """What the owner's plan allows (billing); each raises FORBIDDEN (reason PLAN_LIMIT) beyond it."""

    async def check_storage(self, owner_id: str, stored: int, adding: int) -> None: ...

    async def check_advisor_review(self, owner_id: str) -> None: ...


class Advising(Protocol):
    async def advisor_of(self, user_id: str) -> str | None:
        """The id of the person's assigned advisor, if any."""
        ...


class CategoryCatalog(Protocol):
    async def document_keys(self) -> frozenset[str]:
        """Every document key the program catalog names."""
        ...


class Notifier(Protocol):
    """The notification use case (domain.notifications): records and queues a notice once per key."""

    async def notify(self, user_id: str, message: Message, key: str) -> Sequence[object]: ...
