"""GraphiQL with its files served by this server instead of unpkg: it works offline and behind a strict CSP.

Strawberry's page pins each file to a version with an integrity hash; a file is served here only when the
npm package of exactly that version is installed (`clients/` pins them), so the browser's integrity check
still applies. Any other file keeps its CDN address.
"""

import json
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from strawberry.http.ides import get_graphql_ide_html

_CDN_FILE = re.compile(r"https://unpkg\.com/(?P<package>(?:@[\w.-]+/)?[\w.-]+)@(?P<version>[\w.-]+)/(?P<file>[\w./-]+)")


class GraphiQLAssets:
    def __init__(self, page: str, packages_dir: Path | None, mount: str = "/graphiql/") -> None:
        self.mount = mount
        self.files: dict[str, Path] = {}
        for match in _CDN_FILE.finditer(page):
            local = _installed_file(packages_dir, match["package"], match["version"], match["file"])
            if local is not None:
                self.files[f"{match['package']}@{match['version']}/{match['file']}"] = local
        self.page = _CDN_FILE.sub(self._address, page)

    def _address(self, match: re.Match[str]) -> str:
        name = f"{match['package']}@{match['version']}/{match['file']}"
        return self.mount + name if name in self.files else match[0]

    async def endpoint(self, request: Request) -> Response:
        local = self.files.get(request.path_params["name"])
        if local is None:
            return PlainTextResponse("Not Found", status_code=404)
        # The address names the version: the file never changes.
        return FileResponse(local, headers={"Cache-Control": "public, max-age=31536000, immutable"})


def _installed_file(packages_dir: Path | None, package: str, version: str, file: str) -> Path | None:
    if packages_dir is None:
        return None
    root = packages_dir / package
    try:
        installed = json.loads((root / "package.json").read_text()).get("version")
    except (OSError, ValueError):
        return None
    local = (root / file).resolve()
    if installed != version or not local.is_file() or not local.is_relative_to(root.resolve()):
        return None
    return local


def strawberry_graphiql(packages_dir: Path | None) -> GraphiQLAssets:
    return GraphiQLAssets(get_graphql_ide_html("graphiql"), packages_dir)
