"""The committed SDL is exactly what the code exports: clients generate types from it."""

from migratio.entrypoints.cli import SCHEMA_FILE, schema_sdl


def test_graphql_schema_file_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl()
