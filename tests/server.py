"""The real processes a test talks to: the ASGI app under uvicorn in a background thread, on a free loopback
port, and job workers in processes of their own, on the queue of the settings they are given."""

import asyncio
import json
import multiprocessing
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis
import uvicorn

from migratio.entrypoints import worker
from migratio.observability import configure_logging
from migratio.settings import Settings
from migratio.transport.app import create_app

WORKER_START_TIMEOUT_S = 60.0
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload([__name__])
"""Workers are forked from a server process that imported the app once (2–4 s on 2 cores), so each module's
worker starts in a fraction of a second instead."""


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


def worker_registration(redis_url: str, queue: str, pid: int) -> dict[str, Any] | None:
    """The metadata of the worker with this pid registered on `queue` (saq's worker info), or None."""
    client = redis.Redis.from_url(redis_url)
    try:
        members: Any = client.zrange(f"saq:{queue}:stats", 0, -1)
        for raw in client.mget(members) if members else []:
            metadata: dict[str, Any] = json.loads(raw or b"{}").get("metadata") or {}
            if metadata.get("pid") == pid:
                return metadata
        return None
    finally:
        client.close()


def _work(settings: Settings, log: Path) -> None:
    """A worker process's body: its output to `log`, then the worker's own loop until it is killed."""
    with log.open("ab") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    configure_logging(settings.log_level)
    asyncio.run(worker.run(settings))


@dataclass
class LiveWorker:
    process: multiprocessing.process.BaseProcess

    def kill(self) -> None:
        """SIGKILL, as a crashed machine's worker dies. A module's worker ends so too: its data is removed next,
        and saq's graceful stop (SIGTERM) waits out its 5 s grace for its idle loops."""
        self.process.kill()
        self.process.join()


def start_worker(settings: Settings, log: Path) -> LiveWorker:
    """A worker process on `settings.job_queue`, working on the settings' database, bucket and key prefix;
    returns once it registered on the queue."""
    process = _FORKS.Process(target=_work, args=(settings, log), daemon=True)
    process.start()
    live = LiveWorker(process)
    deadline = time.monotonic() + WORKER_START_TIMEOUT_S
    while process.pid is None or worker_registration(settings.redis_url, settings.job_queue, process.pid) is None:
        if not process.is_alive() or time.monotonic() > deadline:
            live.kill()
            raise RuntimeError(f"the worker did not start; see {log}")
        time.sleep(0.02)
    return live
