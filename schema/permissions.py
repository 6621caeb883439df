"""Who may read or call what, declared on each field with PermissionExtension (so the SDL shows it).

Each check raises the DomainError that says why (UNAUTHENTICATED or FORBIDDEN). The repositories scope
reads to the caller as well: these are the first lock, not the only one.
"""

from typing import Any, Protocol

import strawberry
from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.schema_directive import Location

from domain.errors import Forbidden, Unauthenticated
from domain.users.model import Role, Scope, Viewer


class _HasViewer(Protocol):
    viewer: Viewer


@strawberry.schema_directive(
    locations=[Location.OBJECT],
    description="Holds personal data: every field declares who may read it (a test checks).",
)
class Private:
    pass


def _viewer(info: strawberry.Info[_HasViewer, Any]) -> Viewer:
    viewer: Viewer = info.context.viewer
    return viewer


def _signed_in(viewer: Viewer) -> str:
    if viewer.user_id is None:
        raise Unauthenticated(viewer.auth_error or "sign in first")
    return viewer.user_id


class IsAuthenticated(BasePermission):
    """A signed-in person (not an API key)."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        _signed_in(_viewer(info))
        return True


def _staff(info: strawberry.Info, roles: tuple[Role, ...], refusal: str) -> bool:
    viewer = _viewer(info)
    _signed_in(viewer)
    if not viewer.has_role(*roles):
        raise Forbidden(refusal)
    return True


class IsAdmin(BasePermission):
    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return _staff(info, (Role.ADMIN,), "only administrators may do this")


class IsAdvisor(BasePermission):
    """Advisors (and admins, who may also advise)."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return _staff(info, (Role.ADVISOR, Role.ADMIN), "only advisors may do this")


class CanReadAnalytics(BasePermission):
    """Analysts and admins: the aggregate reports, which hold no one's personal data."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return _staff(info, (Role.ANALYST, Role.ADMIN), "only analysts may read analytics reports")


class CanReadUsers(BasePermission):
    """Admins, and servers whose API key has the users:read scope."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        viewer = _viewer(info)
        if viewer.has_scope(Scope.USERS_READ):
            return True
        if viewer.api_key_id is not None:
            raise Forbidden("this API key lacks the users:read scope")
        _signed_in(viewer)
        if not viewer.has_role(Role.ADMIN):
            raise Forbidden("only administrators may list users")
        return True


def _owner_of(source: Any) -> tuple[str, str | None]:
    return source.owner_id, getattr(source, "advisor_id", None)


class CanSeePerson(BasePermission):
    """On fields of a person's data: that person, their assigned advisor, admins, or a users:read key."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        viewer = _viewer(info)
        if viewer.has_scope(Scope.USERS_READ):
            return True
        user_id = _signed_in(viewer)
        owner, advisor = _owner_of(source)
        if user_id == owner or viewer.has_role(Role.ADMIN):
            return True
        if viewer.has_role(Role.ADVISOR) and advisor == user_id:
            return True
        raise Forbidden("not yours to see")


class IsOwner(BasePermission):
    """On secrets only their owner ever sees (passport number, TOTP secret, recovery codes, sessions)."""

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        user_id = _signed_in(_viewer(info))
        if user_id != _owner_of(source)[0]:
            raise Forbidden("only the account owner may see this")
        return True


def allow(*permissions: BasePermission) -> list[FieldExtension]:
    """`extensions=allow(IsAuthenticated())` on a field."""
    return [PermissionExtension(permissions=list(permissions))]


def guarded(*permissions: BasePermission, **options: Any) -> Any:
    """A type's field readable only with these permissions."""
    return strawberry.field(extensions=allow(*permissions), **options)
