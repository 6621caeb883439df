"""Root fields of documents: upload, confirm, share, delete (owner); review (the assigned advisor)."""

import strawberry

from schema.context import Context
from schema.documents import Document, DocumentShareLink, DocumentUpload
from schema.permissions import IsAdvisor, IsAuthenticated, allow

Info = strawberry.Info[Context, None]


def _user(info: Info) -> str:
    return info.context.viewer.user_id or ""


@strawberry.type
class DocumentsQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="One of your documents.")
    async def document(self, info: Info, id: strawberry.ID) -> Document:
        return Document.from_domain(await info.context.services.documents.get(_user(info), str(id)))

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your documents, newest first.")
    async def my_documents(self, info: Info) -> list[Document]:
        return [Document.from_domain(d) for d in await info.context.services.documents.mine(_user(info))]

    @strawberry.field(extensions=allow(IsAdvisor()), description="The documents of one of your clients.")
    async def client_documents(self, info: Info, client_id: strawberry.ID) -> list[Document]:
        found = await info.context.services.documents.client_documents(_user(info), str(client_id))
        return [Document.from_domain(d, advisor_id=_user(info)) for d in found]


@strawberry.type
class DocumentsMutation:
    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Step 1 of an upload: a presigned POST for exactly this type and size.",
    )
    async def request_document_upload(self, info: Info, category: str, content_type: str, size: int) -> DocumentUpload:
        ticket = await info.context.services.documents.request_upload(_user(info), category, content_type, size)
        return DocumentUpload.from_domain(_user(info), ticket)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()), description="Step 2: record the upload once the store holds the file."
    )
    async def confirm_document_upload(self, info: Info, id: strawberry.ID) -> Document:
        return Document.from_domain(await info.context.services.documents.confirm_upload(_user(info), str(id)))

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="A link to one of your documents that expires after `expiresInMinutes`.",
    )
    async def create_document_share_link(
        self, info: Info, id: strawberry.ID, expires_in_minutes: int
    ) -> DocumentShareLink:
        link = await info.context.services.documents.share_link(_user(info), str(id), expires_in_minutes)
        return DocumentShareLink.from_domain(_user(info), link)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Delete a document and its file.")
    async def delete_document(self, info: Info, id: strawberry.ID) -> bool:
        await info.context.services.documents.delete(_user(info), str(id))
        return True

    @strawberry.mutation(extensions=allow(IsAdvisor()), description="Take a client's uploaded document into review.")
    async def start_document_review(self, info: Info, id: strawberry.ID) -> Document:
        document = await info.context.services.documents.start_review(_user(info), str(id))
        return Document.from_domain(document, advisor_id=_user(info))

    @strawberry.mutation(extensions=allow(IsAdvisor()), description="Accept a document in review.")
    async def verify_document(self, info: Info, id: strawberry.ID) -> Document:
        document = await info.context.services.documents.verify(_user(info), str(id))
        return Document.from_domain(document, advisor_id=_user(info))

    @strawberry.mutation(extensions=allow(IsAdvisor()), description="Refuse a document in review, saying why.")
    async def reject_document(self, info: Info, id: strawberry.ID, reason: str) -> Document:
        document = await info.context.services.documents.reject(_user(info), str(id), reason)
        return Document.from_domain(document, advisor_id=_user(info))
