"""`migratio anonymised-copy`: the database copied into another one for testing or staging, every collection
through the rules of domain/anonymisation (personal fields faked consistently under a key made for this copy and
then forgotten, free text dropped, secrets made useless, field-cipher text re-keyed to the target's key)."""

import secrets
from functools import partial

from pymongo import AsyncMongoClient

from datasources.crypto import FieldCipher
from datasources.mongo import client as mongo
from datasources.mongo.copying import copy_documents, copy_indexes
from datasources.mongo.monitoring import CommandCounter
from domain.anonymisation.documents import Anonymiser, NoRule, unruled
from domain.anonymisation.fakes import Fakes
from migratio.settings import Settings
from migratio.wiring.identity import field_cipher

BATCH = 500


class CopyRefused(RuntimeError):
    """The copy would overwrite data, land in the source, or stay readable with the source's key."""


def _connect(settings: Settings, url: str) -> AsyncMongoClient:
    return mongo.connect(url, settings.dependency_timeout_s * 5, CommandCounter())


async def anonymised_copy(
    settings: Settings, target_db: str, target_url: str | None = None, target_key: str | None = None
) -> dict[str, int]:
    """Copies every collection of the settings' database into `target_db` (a new, empty database); documents
    copied per collection. Nothing is written when a collection has no rule; a field without one found midway
    drops the partial copy."""
    key = target_key or (settings.anonymised_copy_field_key and settings.anonymised_copy_field_key.get_secret_value())
    if not key:
        raise CopyRefused("give the target's field-cipher key: --target-key or ANONYMISED_COPY_FIELD_KEY")
    if key in {k.get_secret_value() for k in settings.field_encryption_keys}:
        raise CopyRefused("the target's field-cipher key must not be one of the source's FIELD_ENCRYPTION_KEYS")
    url = target_url or settings.mongodb_url
    if url == settings.mongodb_url and target_db == settings.mongodb_db:
        raise CopyRefused("the target is the source database")
    source_client, target_client = _connect(settings, settings.mongodb_url), _connect(settings, url)
    try:
        source, target = source_client[settings.mongodb_db], target_client[target_db]
        if await target.list_collection_names():
            raise CopyRefused(f"the target database {target_db} is not empty")
        names = sorted(await source.list_collection_names())
        if missing := unruled(names):
            raise NoRule(f"no anonymisation rule for the collection(s) {', '.join(missing)}: nothing copied")
        anonymiser = Anonymiser(Fakes(secrets.token_bytes(32)), field_cipher(settings), FieldCipher([key]))
        copied: dict[str, int] = {}
        try:
            for name in names:
                await copy_indexes(source[name], target[name])
                transform = partial(anonymiser.document, name)
                copied[name] = await copy_documents(source[name], target[name], transform, BATCH)
        except BaseException:
            await target_client.drop_database(target_db)
            raise
        return copied
    finally:
        await source_client.close()
        await target_client.close()
