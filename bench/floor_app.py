"""The framework's floor: a plain strawberry app on the same uvicorn, nothing else. `{ hello }` is the floor of
a request; `items(count)` answers with as many fields as a page of ours, the floor of executing that much."""

import strawberry
from strawberry.asgi import GraphQL


@strawberry.type
class Item:
    name: str
    rank: int
    score: float
    passed: bool
    note: str | None


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"

    @strawberry.field
    def items(self, count: int) -> list[Item]:
        return [Item(name=f"item {n}", rank=n, score=n / 2, passed=n % 2 == 0, note=None) for n in range(count)]


app = GraphQL(strawberry.Schema(query=Query))
