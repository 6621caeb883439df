"""One error shape for every operation: a message and a stable `extensions.code`.

DomainErrors keep their message and code; errors GraphQL itself raises (syntax, validation, variable
coercion) are the client's input; anything else is masked as INTERNAL and logged once.
"""

import logging
from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import DomainError, ErrorCode

log = logging.getLogger("migratio.transport.errors")

Translate = Callable[[BaseException], DomainError | None]


def _no_translation(_: BaseException) -> DomainError | None:
    return None


class ErrorCodes(SchemaExtension):
    """Give every error an `extensions.code`; `translate` maps infrastructure failures (e.g. to UNAVAILABLE)."""

    def __init__(self, *, debug: bool = False, translate: Translate = _no_translation) -> None:
        self.debug = debug
        self.translate = translate

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self._shape(error) for error in errors]
        pre = self.execution_context.pre_execution_errors
        if pre:
            self.execution_context.pre_execution_errors = [self._shape(error) for error in pre]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Subscriptions deliver results one by one; shape each before it reaches the socket."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self._shape(error) for error in errors]
        yield None

    def _shape(self, error: GraphQLError) -> GraphQLError:
        if error.extensions and "code" in error.extensions:
            return error
        original = error.original_error
        while isinstance(original, GraphQLError) and original.original_error is not None:
            original = original.original_error
        if original is None or isinstance(original, GraphQLError):
            return self._copy(error, error.message, {"code": ErrorCode.BAD_USER_INPUT.value})
        domain = original if isinstance(original, DomainError) else self.translate(original)
        if domain is not None:
            return self._copy(error, domain.message, {"code": domain.code.value, **domain.details})
        log.error("unhandled error in %s", error.path, exc_info=original)
        message = f"{type(original).__name__}: {original}" if self.debug else "Internal server error."
        return self._copy(error, message, {"code": ErrorCode.INTERNAL.value})

    @staticmethod
    def _copy(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=extensions,
        )
