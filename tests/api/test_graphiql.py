"""GraphiQL at /graphql for browsers, with every file it loads served by this server (no CDN needed)."""

import base64
import hashlib
import re

import httpx

from tests.server import LiveServer

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_FILE = re.compile(r'(?:src|href)="(?P<path>/graphiql/[^"]+)"\s+integrity="sha384-(?P<sri>[^"]+)"')


def graphiql_page(server: LiveServer) -> str:
    response = httpx.get(server.graphql_url, headers={"accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_a_browser_gets_graphiql_loading_every_file_from_this_server(server: LiveServer) -> None:
    page = graphiql_page(server)
    assert "unpkg.com" not in page
    files = {m["path"]: m["sri"] for m in _FILE.finditer(page)}
    assert "/graphiql/graphiql@3.8.3/graphiql.min.js" in files
    assert len(files) == 7
    for path, sri in files.items():
        response = httpx.get(server.url + path)
        assert response.status_code == 200, path
        # the browser checks the page's integrity hash: the file served must be byte for byte the pinned one
        assert base64.b64encode(hashlib.sha384(response.content).digest()).decode() == sri, path
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_only_the_files_the_page_names_are_served(server: LiveServer) -> None:
    for path in (
        "/graphiql/react@18.2.0/package.json",
        "/graphiql/react@18.2.0/umd/react.development.js",
        "/graphiql/react@17.0.0/umd/react.production.min.js",
        "/graphiql/../pyproject.toml",
        "/graphiql/%2e%2e/%2e%2e/pyproject.toml",
    ):
        assert httpx.get(server.url + path).status_code == 404, path
