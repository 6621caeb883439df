"""Document metadata in Mongo; the file itself is in object storage under the owner's prefix.

A review step is a compare-and-set on the document's revision (atomic.py): of concurrent reviewers moving it
out of one status, exactly one succeeds. Share links are presigned URLs, written nowhere."""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.mongo.atomic import SpentKeys, Versioned
from datasources.mongo.repos.programs import ProgramRepository
from domain.documents.model import Document, DocumentStatus


def _document(doc: Mapping[str, Any]) -> Document:
    return Document(
        id=doc["_id"],
        owner_id=doc["owner_id"],
        category=doc["category"],
        object_key=doc["object_key"],
        content_type=doc["content_type"],
        size=doc["size"],
        status=DocumentStatus(doc["status"]),
        uploaded_at=doc["uploaded_at"],
        updated_at=doc["updated_at"],
        reviewer_id=doc.get("reviewer_id"),
        rejection_reason=doc.get("rejection_reason"),
        version=doc.get("version"),
        sha256=doc.get("sha256"),
        etag=doc.get("etag"),
        reviewed_version=doc.get("reviewed_version"),
    )


def _plain(changes: Mapping[str, object]) -> dict[str, object]:
    return {k: v.value if isinstance(v, Enum) else v for k, v in changes.items()}


class DocumentRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["documents"]
        self.versioned = Versioned(self.collection)
        self.spent = SpentKeys(db)

    async def insert(self, document: Document) -> bool:
        try:
            await self.collection.insert_one(
                {
                    "_id": document.id,
                    "owner_id": document.owner_id,
                    "category": document.category,
                    "object_key": document.object_key,
                    "content_type": document.content_type,
                    "size": document.size,
                    "status": document.status.value,
                    "uploaded_at": document.uploaded_at,
                    "updated_at": document.updated_at,
                    "reviewer_id": document.reviewer_id,
                    "rejection_reason": document.rejection_reason,
                    "version": document.version,
                    "sha256": document.sha256,
                    "etag": document.etag,
                    "reviewed_version": document.reviewed_version,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def for_owner(self, owner_id: str, document_id: str) -> Document | None:
        doc = await self.versioned.read(document_id, owner_id=owner_id)
        return None if doc is None else _document(doc)

    async def list_for_owner(self, owner_id: str, limit: int) -> list[Document]:
        cursor = self.collection.find({"owner_id": owner_id}).sort("uploaded_at", DESCENDING).limit(limit)
        return [_document(doc) async for doc in cursor]

    async def owner_of(self, document_id: str) -> str | None:
        doc = await self.collection.find_one({"_id": document_id}, {"owner_id": 1})
        return None if doc is None else str(doc["owner_id"])

    async def transition(
        self,
        owner_id: str,
        document_id: str,
        expected: DocumentStatus | None,
        changes: dict[str, object],
        version: str | None = None,
    ) -> Document | None:
        doc = await self.versioned.update(
            document_id,
            _plain(changes),
            where=lambda d: (
                d["owner_id"] == owner_id
                and (expected is None or d["status"] == expected.value)
                and d.get("version") == version
            ),
        )
        return None if doc is None else _document(doc)

    async def spend_upload(self, document_id: str, upload_tag: str) -> bool:
        return await self.spent.spend("document-upload", f"{document_id}:{upload_tag}")

    async def delete_for_owner(self, owner_id: str, document_id: str) -> bool:
        result = await self.collection.delete_one({"_id": document_id, "owner_id": owner_id})
        await self.versioned.forget([document_id])
        return bool(result.deleted_count)

    async def stored_bytes(self, owner_id: str, excluding: str | None = None) -> int:
        query: dict[str, Any] = {"owner_id": owner_id}
        if excluding is not None:
            query["_id"] = {"$ne": excluding}
        sizes = [int(doc.get("size") or 0) async for doc in self.collection.find(query, {"size": 1})]
        return sum(sizes)

    async def verified_categories(self, owner_id: str) -> frozenset[str]:
        cursor = self.collection.find({"owner_id": owner_id, "status": DocumentStatus.VERIFIED.value}, {"category": 1})
        return frozenset([doc["category"] async for doc in cursor])


class CatalogDocumentKeys:
    """Document keys the catalog's programs name: the categories an upload may be filed under."""

    def __init__(self, programs: ProgramRepository) -> None:
        self.programs = programs

    async def document_keys(self) -> frozenset[str]:
        return frozenset(d.key for record in await self.programs.all() for d in record.program.documents)
