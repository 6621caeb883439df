"""Counts Mongo round-trips per request, so tests can assert that dataloaders keep query counts flat."""

from contextvars import ContextVar
from dataclasses import dataclass, field

from pymongo import monitoring

# Handshakes and session bookkeeping are driver chatter, not queries the code asked for.
_IGNORED = frozenset({"hello", "ismaster", "isMaster", "ping", "endSessions", "buildInfo", "saslStart"})


@dataclass
class CommandTally:
    count: int = 0
    by_command: dict[str, int] = field(default_factory=dict)

    def add(self, name: str) -> None:
        self.count += 1
        self.by_command[name] = self.by_command.get(name, 0) + 1


current_tally: ContextVar[CommandTally | None] = ContextVar("mongo_command_tally", default=None)


class CommandCounter(monitoring.CommandListener):
    """Adds each started command to the process total and to the tally of the request running it.

    PyMongo's async client runs commands on the caller's event loop task, so the ContextVar points at the
    request's tally.
    """

    def __init__(self) -> None:
        self.total = CommandTally()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in _IGNORED:
            return
        self.total.add(event.command_name)
        tally = current_tally.get()
        if tally is not None:
            tally.add(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None
