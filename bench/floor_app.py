"""The framework's floor: a plain strawberry app answering `{ hello }` on the same uvicorn, nothing else."""

import strawberry
from strawberry.asgi import GraphQL


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


app = GraphQL(strawberry.Schema(query=Query))
