"""The per-request context: who is asking, fresh dataloaders, and the process's services."""

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket

from datasources.loaders import Loaders
from datasources.mongo.monitoring import CommandTally
from domain.users.model import ANONYMOUS, RequestMeta, Viewer
from domain.users.service import Identity
from migratio.services import Services


@dataclass
class Context:
    request: Request | WebSocket
    services: Services
    request_id: str
    loaders: Loaders
    viewer: Viewer = ANONYMOUS
    meta: RequestMeta = field(default_factory=RequestMeta)
    connection_params: dict[str, Any] | None = None  # a websocket's connection_init payload
    mongo_commands: CommandTally = field(default_factory=CommandTally)
    response_extensions: dict[str, object] = field(default_factory=dict)

    @property
    def user_id(self) -> str | None:
        return self.viewer.user_id

    @property
    def identity(self) -> Identity:
        return self.services.identity

    def fresh_loaders(self) -> Loaders:
        """A websocket context lives as long as the connection: subscriptions take new loaders per event."""
        return Loaders.for_request(self.services.db)
