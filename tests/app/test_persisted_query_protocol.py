"""The persisted-query protocol without a server: which hash a request names, and a server without a store."""

import pytest
from cross_web import HTTPException

from migratio.transport.persisted_queries import PersistedQueries, PersistedQueryError, query_hash, requested_hash


def test_the_hash_is_taken_from_version_1_of_the_extension_in_lower_case() -> None:
    sha256 = query_hash("{ __typename }")
    assert requested_hash({"persistedQuery": {"version": 1, "sha256Hash": sha256.upper()}}) == sha256
    assert requested_hash({"other": 1}) is None
    assert requested_hash(None) is None


def test_another_version_is_a_bad_request() -> None:
    with pytest.raises(HTTPException) as refused:
        requested_hash({"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}})
    assert refused.value.status_code == 400


async def test_without_a_store_the_server_says_persisted_queries_are_not_supported() -> None:
    with pytest.raises(PersistedQueryError) as refused:
        await PersistedQueries(None).query_for("0" * 64, None)
    assert refused.value.as_graphql_error().formatted == {
        "message": "PersistedQueryNotSupported",
        "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
    }
