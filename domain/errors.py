"""Expected failures carry a stable code that clients switch on; the schema layer copies it to extensions."""

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


class DomainError(Exception):
    """An error the client caused or can act on; `details` become extra `extensions` entries."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadUserInput(DomainError):
    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, *, field: str | None = None, **details: object) -> None:
        if field is not None:
            details["field"] = field
        super().__init__(message, **details)


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after_s: int, limit: int | None = None) -> None:
        details: dict[str, object] = {"retryAfter": retry_after_s}
        if limit is not None:
            details["limit"] = limit
        super().__init__(message, **details)
        self.retry_after_s = retry_after_s
        self.limit = limit


class Unavailable(DomainError):
    code = ErrorCode.UNAVAILABLE

    def __init__(self, message: str, *, dependency: str) -> None:
        super().__init__(message, dependency=dependency)
        self.dependency = dependency
