"""When a webhook retry is due: after its real delay, or as soon as the sandbox clock of the
event's company passes the time the retry was scheduled for, whichever comes first (moving a
firm's sandbox clock forward sends its due retries at once)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

CLOCK_WAKES_MAX = 1_000         # clock moves one waiting retry looks at before it just sleeps


def real_time_s(company_id: str | None = None) -> float:
    """Unix seconds of the wall clock, whatever the company (a dispatcher without a sandbox)."""
    return time.time()


class RetryClock:
    """`wait(...)` until a retry is due; `moved()` wakes every waiting retry to look again."""

    def __init__(self, clock: Callable[[str | None], float] = real_time_s) -> None:
        self.clock = clock              # unix seconds as a company's sandbox sees them
        self._moved: asyncio.Event | None = None

    def moved(self) -> None:
        moved, self._moved = self._moved, None
        if moved is not None:
            moved.set()

    async def wait(self, company_id: str, due_s: float, delay_s: float) -> None:
        """Until `delay_s` real seconds pass or the company's clock reaches `due_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + delay_s
        for _ in range(CLOCK_WAKES_MAX):
            remaining_s = deadline - loop.time()
            if remaining_s <= 0 or self.clock(company_id) >= due_s:
                return
            if self._moved is None:
                self._moved = asyncio.Event()       # made in the loop that waits on it
            try:
                await asyncio.wait_for(self._moved.wait(), remaining_s)
            except TimeoutError:
                return
        await asyncio.sleep(max(0.0, deadline - loop.time()))
