"""Runs the real ASGI app under uvicorn in a background thread, on a free loopback port."""

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from migratio.settings import Settings
from migratio.transport.app import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    @property
    def ws_url(self) -> str:
        return self.graphql_url.replace("http://", "ws://")

    def gql(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        response = httpx.post(
            self.graphql_url, json={"query": query, "variables": variables or {}}, timeout=30, **kwargs
        )
        body: dict[str, Any] = response.json()
        return body

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(settings: Settings) -> LiveServer:
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None, ws="websockets-sansio", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)
