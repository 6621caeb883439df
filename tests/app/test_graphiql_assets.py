"""Which of GraphiQL's pinned files are served locally: only those installed at exactly the pinned version."""

import json
from pathlib import Path

from migratio.transport.graphiql import GraphiQLAssets

PAGE = (
    '<script src="https://unpkg.com/react@18.2.0/umd/react.min.js"></script>'
    '<link href="https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css">'
)


def install(root: Path, package: str, version: str, file: str) -> None:
    (root / package / file).parent.mkdir(parents=True, exist_ok=True)
    (root / package / "package.json").write_text(json.dumps({"name": package, "version": version}))
    (root / package / file).write_text("/* file */")


def test_installed_files_of_the_pinned_version_are_addressed_locally(tmp_path: Path) -> None:
    install(tmp_path, "react", "18.2.0", "umd/react.min.js")
    install(tmp_path, "@graphiql/plugin-explorer", "1.0.2", "dist/style.css")
    assets = GraphiQLAssets(PAGE, tmp_path)
    assert (
        assets.page == '<script src="/graphiql/react@18.2.0/umd/react.min.js"></script>'
        '<link href="/graphiql/@graphiql/plugin-explorer@1.0.2/dist/style.css">'
    )


def test_another_installed_version_keeps_the_cdn_address(tmp_path: Path) -> None:
    install(tmp_path, "react", "18.3.1", "umd/react.min.js")
    assets = GraphiQLAssets(PAGE, tmp_path)
    assert assets.page == PAGE
    assert assets.files == {}


def test_without_packages_the_page_is_unchanged() -> None:
    assert GraphiQLAssets(PAGE, None).page == PAGE
    assert GraphiQLAssets(PAGE, Path("/nonexistent")).page == PAGE
