"""Every index a repository query needs on MongoDB, in one list, each created only when no index has its keys.

Most came with 0001–0004 (an index with the same keys under another name counts as present, so this never
duplicates one); new here are the catalog's browse order, the API key list's order and the job sweeper's.
Reads by `_id` (every per-request lookup of one document: owner, purpose or advisor are checked on the
document, see datasources/mongo/lookups.py) use the primary key and are not listed.
"""

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

Keys = tuple[tuple[str, int], ...]

LOOKUPS: dict[str, list[tuple[str, Keys, bool]]] = {
    "users": [
        ("email_unique", (("email", ASCENDING),), True),  # by_email: sign-in, registration
        ("advisor", (("advisor_id", ASCENDING),), False),  # clients_of, and unlinking on deletion
        ("purge_after", (("purge_after", ASCENDING),), False),  # due_for_purge
        ("created", (("created_at", ASCENDING), ("_id", ASCENDING)), False),  # the admin's page
    ],
    "refresh_sessions": [
        ("token_hash_unique", (("token_hash", ASCENDING),), True),  # refresh: claim, by_token_hash
        ("family", (("family_id", ASCENDING),), False),  # revoke_family on reuse
        ("owner", (("user_id", ASCENDING), ("created_at", DESCENDING)), False),  # active sessions, sign-out all
    ],
    "one_time_tokens": [
        ("owner_purpose", (("user_id", ASCENDING), ("purpose", ASCENDING)), False),  # discard_for_user
        ("expires", (("expires_at", ASCENDING),), False),  # the sweep on insert
    ],
    "api_keys": [
        ("key_hash_unique", (("key_hash", ASCENDING),), True),  # every API-key request
        ("created", (("created_at", ASCENDING),), False),  # the admin's list
    ],
    "audit_events": [("user_id_1_at_-1", (("user_id", ASCENDING), ("at", DESCENDING)), False)],
    "assessments": [("owner_recent", (("owner_id", ASCENDING), ("updated_at", DESCENDING)), False)],
    "profile_snapshots": [
        ("owner_latest", (("owner_id", ASCENDING), ("created_at", DESCENDING)), False),  # results, roadmaps
        ("assessment", (("assessment_id", ASCENDING), ("owner_id", ASCENDING)), False),  # claiming
    ],
    "roadmaps": [("owner_recent", (("owner_id", ASCENDING), ("created_at", DESCENDING)), False)],
    "roadmap_tasks": [
        ("owner_roadmap", (("owner_id", ASCENDING), ("roadmap_id", ASCENDING)), False),  # a roadmap's, an owner's
        ("reminder_due", (("reminded_at", ASCENDING), ("due_on", ASCENDING)), False),  # the reminder sweep
    ],
    "documents": [
        ("owner_recent", (("owner_id", ASCENDING), ("uploaded_at", DESCENDING)), False),
        ("owner_status", (("owner_id", ASCENDING), ("status", ASCENDING)), False),  # verified categories
    ],
    "reports": [("owner_recent", (("owner_id", ASCENDING), ("created_at", DESCENDING)), False)],
    "jobs": [
        ("owner_recent", (("owner_id", ASCENDING), ("created_at", DESCENDING)), False),
        ("status_updated", (("status", ASCENDING), ("updated_at", ASCENDING)), False),  # the sweeper's lists
    ],
    "programs": [
        ("name_slug", (("name", ASCENDING), ("_id", ASCENDING)), False),  # browsing without a filter
        ("country_1_status_1", (("country", ASCENDING), ("status", ASCENDING)), False),
        ("category_1_status_1", (("category", ASCENDING), ("status", ASCENDING)), False),
        ("status_1_name_1", (("status", ASCENDING), ("name", ASCENDING)), False),
    ],
    "program_versions": [("slug_1_version_-1", (("slug", ASCENDING), ("version", DESCENDING)), True)],
    "countries": [("name_1", (("name", ASCENDING),), False)],
}


async def up(db: AsyncDatabase) -> None:
    existing = set(await db.list_collection_names())
    for collection, wanted in LOOKUPS.items():
        if collection not in existing:
            await db.create_collection(collection)
        have = {
            tuple((field, int(order)) for field, order in index["key"].items())
            async for index in await db[collection].list_indexes()
        }
        missing = [
            IndexModel(list(keys), name=name, unique=unique) for name, keys, unique in wanted if keys not in have
        ]
        if missing:
            await db[collection].create_indexes(missing)
