"""Relay-style pagination: opaque cursors that encode an offset, PageInfo, and the page-size bound."""

import base64
import binascii
from typing import Any

import strawberry
from strawberry.schema_directive import Location

from domain.errors import BadUserInput

_PREFIX = "offset:"
MAX_OFFSET = 9_900
"""The deepest a cursor reaches: with a page of 100 it stays inside OpenSearch's 10,000-result window."""


@strawberry.schema_directive(
    locations=[Location.ARGUMENT_DEFINITION],
    description="The largest page this argument accepts; 0, negative or larger pages are refused before the "
    "query runs.",
)
class PageSize:
    max: int


def page_size(maximum: int) -> Any:
    """Annotate a `first`/`limit` argument: `first: Annotated[int, page_size(MAX_PAGE)] = 20`."""
    return strawberry.argument(directives=[PageSize(max=maximum)])


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset of the first item after `cursor` (0 when there is none)."""
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(_PREFIX):
            raise ValueError(raw)
        offset = int(raw.removeprefix(_PREFIX)) + 1
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput("after is not a cursor this API issued", field="after") from None
    if not 0 < offset <= MAX_OFFSET:
        raise BadUserInput("after is not a cursor this API issued", field="after")
    return offset


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None
