"""Document use cases: presigned upload and its confirmation, review by the assigned advisor, share, delete.

Nothing is recorded until `confirm_upload` finds the object in the store: an upload the store refused (too
large, wrong type) leaves no trace. The category travels with the object as metadata the upload policy
pins, so the confirmation needs no state kept between the two calls.

A presigned form stays valid for its lifetime, so its owner can POST it again: the form therefore writes to
an upload key only, and each confirmation (once per stored upload) copies the file to a version key of its
own, records its SHA-256 and ETag, and puts the document back to pending. A review holds for the version it
began on; a file found changed under its recorded ETag puts the document back to pending too.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.analytics.model import EventName, ServerEvent
from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.documents.model import Document, DocumentPolicy, DocumentStatus, ShareLink, StoredFile, UploadTicket
from domain.documents.ports import (
    Advising,
    CategoryCatalog,
    DocumentAllowance,
    DocumentFiles,
    DocumentRepository,
    Notifier,
)
from domain.errors import BadUserInput, Forbidden, NotFound
from domain.notifications.model import Kind, Message

MAX_LISTED = 200
MAX_REASON = 500
CATEGORY_METADATA = "category"
_ID = re.compile(r"^[0-9a-f]{24}$")
_CATEGORY = re.compile(r"^(?P<key>[a-z0-9]+(?:[_-][a-z0-9]+)*)(?::(?P<country>[A-Z]{2}))?$")


class DocumentNotFound(NotFound):
    def __init__(self, document_id: str) -> None:
        super().__init__(f"no document {document_id!r} that you may see", id=document_id)


def upload_key(owner_id: str, document_id: str) -> str:
    """Where the form writes. Under the owner's prefix, so their data export lists it and deletion removes it."""
    return f"users/{owner_id}/uploads/{document_id}"


def version_key(owner_id: str, document_id: str, version: str) -> str:
    """Where a confirmed upload lives; only the server writes here."""
    return f"users/{owner_id}/documents/{document_id}/{version}"


_PENDING: dict[str, object] = {
    "status": DocumentStatus.UPLOADED,
    "reviewer_id": None,
    "rejection_reason": None,
    "reviewed_version": None,
}


@dataclass
class Documents:
    documents: DocumentRepository
    files: DocumentFiles
    advising: Advising
    categories: CategoryCatalog
    policy: DocumentPolicy
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = field(default=lambda: secrets.token_hex(12))
    analytics: Analytics = NO_ANALYTICS
    notifier: Notifier | None = None  # tells the owner a review's outcome, on the channels they chose
    allowance: DocumentAllowance | None = None  # the plan's storage and advisor review (billing)

    async def _check_category(self, category: str) -> str:
        match = _CATEGORY.match(category.strip())
        if match is None or match["key"] not in await self.categories.document_keys():
            raise BadUserInput(
                f"{category!r} is not a checklist category (e.g. 'passport', 'police_certificates:IN')",
                field="category",
            )
        return match.group(0)

    async def request_upload(self, owner_id: str, category: str, content_type: str, size: int) -> UploadTicket:
        """A presigned POST whose policy allows exactly this type and at most `size` bytes."""
        checked = await self._check_category(category)
        if content_type not in self.policy.content_types:
            raise BadUserInput(
                f"{content_type!r} is not accepted; send one of {', '.join(self.policy.content_types)}",
                field="contentType",
            )
        if not 0 < size <= self.policy.max_bytes:
            raise BadUserInput(f"size must be between 1 and {self.policy.max_bytes} bytes", field="size")
        await self._check_storage(owner_id, None, size)
        document_id = self.new_id()
        form = await self.files.presigned_upload(
            upload_key(owner_id, document_id),
            content_type,
            size,
            {CATEGORY_METADATA: checked},
            self.policy.upload_ttl_s,
        )
        expires_at = self.clock() + timedelta(seconds=self.policy.upload_ttl_s)
        return UploadTicket(document_id, form.url, form.fields, expires_at, size, content_type)

    async def confirm_upload(self, owner_id: str, document_id: str) -> Document:
        """Record the upload the store holds (a HEAD request) as the document's new version, pending review;
        confirming again with nothing new uploaded changes nothing."""
        if not _ID.match(document_id):
            raise DocumentNotFound(document_id)
        existing = await self.documents.for_owner(owner_id, document_id)
        staged_key = upload_key(owner_id, document_id)
        stored = await self.files.stat(staged_key)
        if stored is None or not await self.documents.spend_upload(document_id, _upload_tag(stored)):
            if existing is not None:
                return existing
            raise NotFound("nothing was uploaded for this id (or the store refused the file)", id=document_id)
        category = await self._check_category(stored.metadata.get(CATEGORY_METADATA, ""))
        content_type = stored.content_type or ""
        if content_type not in self.policy.content_types or stored.size > self.policy.max_bytes:
            await self.files.delete(staged_key)
            raise BadUserInput("the stored file breaks the upload policy and was removed", field="id")
        try:
            await self._check_storage(owner_id, document_id, stored.size)
        except Forbidden:
            await self.files.delete(staged_key)
            raise
        version = self.new_id()
        frozen = await self.files.freeze(staged_key, version_key(owner_id, document_id, version), stored.etag or "")
        if frozen is None:
            raise NotFound("the upload changed while it was confirmed; confirm again", id=document_id)
        await self.files.delete(staged_key)
        now = self.clock()
        fields = {
            "category": category,
            "object_key": frozen.key,
            "content_type": content_type,
            "size": frozen.size,
            "version": version,
            "sha256": frozen.sha256,
            "etag": frozen.etag,
            "updated_at": now,
        }
        if existing is None:
            document = Document(
                document_id,
                owner_id,
                category,
                frozen.key,
                content_type,
                frozen.size,
                DocumentStatus.UPLOADED,
                now,
                now,
                version=version,
                sha256=frozen.sha256,
                etag=frozen.etag,
            )
            if await self.documents.insert(document):
                self._uploaded(owner_id, category)
                return document
        else:
            moved = await self.documents.transition(
                owner_id, document_id, None, {**_PENDING, **fields}, version=existing.version
            )
            if moved is not None:
                await self.files.delete(existing.object_key)
                self._uploaded(owner_id, category)
                return moved
        await self.files.delete(frozen.key)  # another confirmation won the race: its version stands
        return await self.get(owner_id, document_id)

    async def _check_storage(self, owner_id: str, replacing: str | None, size: int) -> None:
        """The declared size when asking for a form, the stored one at confirmation (a new version replaces
        the document's previous one)."""
        if self.allowance is not None:
            await self.allowance.check_storage(owner_id, await self.documents.stored_bytes(owner_id, replacing), size)

    def _uploaded(self, owner_id: str, category: str) -> None:
        """The checklist key only: a category's qualifier (e.g. a country lived in) stays out of analytics."""
        self.analytics.emit(
            ServerEvent(EventName.DOCUMENT_UPLOADED, owner_id, props={"category": category.partition(":")[0]})
        )

    async def _checked(self, owner_id: str, document: Document) -> Document:
        """The document, put back to pending when its file no longer has the ETag recorded at confirmation."""
        if document.etag is None:
            return document
        stored = await self.files.stat(document.object_key)
        if stored is not None and stored.etag == document.etag:
            return document
        moved = await self.documents.transition(
            owner_id, document.id, document.status, {**_PENDING, "updated_at": self.clock()}, version=document.version
        )
        return moved or await self.get(owner_id, document.id)

    async def get(self, owner_id: str, document_id: str) -> Document:
        found = await self.documents.for_owner(owner_id, document_id)
        if found is None:
            raise DocumentNotFound(document_id)
        return found

    async def mine(self, owner_id: str) -> list[Document]:
        return await self.documents.list_for_owner(owner_id, MAX_LISTED)

    async def share_link(self, owner_id: str, document_id: str, minutes: int) -> ShareLink:
        if not 0 < minutes <= self.policy.max_share_minutes:
            raise BadUserInput(
                f"expiresInMinutes must be between 1 and {self.policy.max_share_minutes}", field="expiresInMinutes"
            )
        document = await self._checked(owner_id, await self.get(owner_id, document_id))
        url = self.files.download_url(document.object_key, minutes * 60)
        return ShareLink(url, self.clock() + timedelta(minutes=minutes))

    async def delete(self, owner_id: str, document_id: str) -> None:
        """The file first: a failure after it leaves a record to delete again, never an orphaned file."""
        document = await self.get(owner_id, document_id)
        await self.files.delete(document.object_key)
        await self.files.delete(upload_key(owner_id, document_id))  # an upload sent again and not confirmed
        await self.documents.delete_for_owner(owner_id, document_id)

    # --- advisors ---------------------------------------------------------------------------------------

    async def _client_of(self, advisor_id: str, owner_id: str | None, document_id: str) -> str:
        if owner_id is None or await self.advising.advisor_of(owner_id) != advisor_id:
            raise DocumentNotFound(document_id)
        return owner_id

    async def client_documents(self, advisor_id: str, client_id: str) -> list[Document]:
        if await self.advising.advisor_of(client_id) != advisor_id:
            raise NotFound(f"no client {client_id!r} of yours", id=client_id)
        return await self.documents.list_for_owner(client_id, MAX_LISTED)

    async def _move(
        self, advisor_id: str, document_id: str, expected: DocumentStatus, changes: dict[str, object]
    ) -> Document:
        """Tied to the version read (and its file checked) here: a new upload confirmed meanwhile makes the step
        fail, and a new version is pending again, so a review never moves to a version it did not begin on."""
        owner_id = await self._client_of(advisor_id, await self.documents.owner_of(document_id), document_id)
        if expected is DocumentStatus.UPLOADED and self.allowance is not None:  # a review begins
            await self.allowance.check_advisor_review(owner_id)
        current = await self._checked(owner_id, await self.get(owner_id, document_id))
        changes = {**changes, "reviewer_id": advisor_id, "updated_at": self.clock()}
        if expected is DocumentStatus.UPLOADED:
            changes["reviewed_version"] = current.version
        moved = await self.documents.transition(owner_id, document_id, expected, changes, version=current.version)
        if moved is None:
            current = await self.get(owner_id, document_id)
            raise BadUserInput(
                f"the document is {current.status.value.replace('_', ' ')}, not {expected.value.replace('_', ' ')}",
                field="id",
            )
        return moved

    async def start_review(self, advisor_id: str, document_id: str) -> Document:
        return await self._move(advisor_id, document_id, DocumentStatus.UPLOADED, {"status": DocumentStatus.IN_REVIEW})

    async def verify(self, advisor_id: str, document_id: str) -> Document:
        verified = await self._move(
            advisor_id,
            document_id,
            DocumentStatus.IN_REVIEW,
            {"status": DocumentStatus.VERIFIED, "rejection_reason": None},
        )
        await self._reviewed(verified, f"Your {_label(verified)} document was verified.")
        return verified

    async def reject(self, advisor_id: str, document_id: str, reason: str) -> Document:
        reason = reason.strip()
        if not 0 < len(reason) <= MAX_REASON:
            raise BadUserInput(f"give a reason of 1 to {MAX_REASON} characters", field="reason")
        rejected = await self._move(
            advisor_id,
            document_id,
            DocumentStatus.IN_REVIEW,
            {"status": DocumentStatus.REJECTED, "rejection_reason": reason},
        )
        await self._reviewed(rejected, f"Your {_label(rejected)} document needs another look: {reason}")
        return rejected

    async def _reviewed(self, document: Document, body: str) -> None:
        if self.notifier is None:
            return
        message = Message(
            kind=Kind.DOCUMENT_REVIEWED,
            title="Your document was reviewed",
            body=body,
            deep_link=f"migratio://documents/{document.id}",
            data={"documentId": document.id, "status": document.status.value},
        )
        key = f"{document.id}:{document.version}:{document.status.value}"  # once per reviewed version
        await self.notifier.notify(document.owner_id, message, key=key)


def _label(document: Document) -> str:
    return document.category.split(":")[0].replace("_", " ")


def _upload_tag(stored: StoredFile) -> str:
    """One stored upload: a form POSTed again makes a new object, with a new modification time."""
    return f"{stored.etag}:{stored.modified.isoformat() if stored.modified else stored.size}"
