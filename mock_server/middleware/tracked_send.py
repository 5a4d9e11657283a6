"""An ASGI `send` that notes whether the response has started: an error can still be answered in its
place only before it has."""

from __future__ import annotations

from starlette.types import Message, Send


class TrackedSend:
    __slots__ = ("send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)
