"""The per-request context: who is asking, fresh dataloaders, and the process's services."""

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.websockets import WebSocket

from datasources.loaders import Loaders
from datasources.mongo.monitoring import CommandTally
from migratio.services import Services


@dataclass
class Context:
    request: Request | WebSocket
    services: Services
    request_id: str
    loaders: Loaders
    user_id: str | None = None
    mongo_commands: CommandTally = field(default_factory=CommandTally)

    def fresh_loaders(self) -> Loaders:
        """A websocket context lives as long as the connection: subscriptions take new loaders per event."""
        return Loaders.for_request(self.services.db)
