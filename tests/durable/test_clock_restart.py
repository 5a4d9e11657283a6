"""The sandbox clock survives a restart on the same `--state`, as the other controls do:
after a graceful stop (the state image) and after SIGKILL (the journal replayed)."""
from __future__ import annotations

import pytest

from tests.durable.server_process import SandboxProcess

CLOCK = "/api/v1/sandbox/clock"
OTHER_FIRM = {"Authorization": "Bearer mcp_at_sandbox_northgate_firm_token"}


@pytest.mark.parametrize("stop", ["stop", "kill"])
def test_the_clock_survives_a_restart(tmp_path, stop) -> None:
    state, log = tmp_path / "state.sqlite", tmp_path / "sandbox.log"
    sandbox = SandboxProcess(state, log).start()
    try:
        with sandbox.client() as client:
            assert client.put(CLOCK, json={"frozenAt": "2031-03-01T12:00:00Z"}).status_code == 200
            moved = client.put(CLOCK, json={"advanceSeconds": 3600})
            assert moved.json() == {"now": "2031-03-01T13:00:00Z", "frozen": True, "offsetSeconds": moved.json()["offsetSeconds"]}
            running = client.put(CLOCK, json={"advanceSeconds": 60}, headers=OTHER_FIRM).json()
    finally:
        getattr(sandbox, stop)()
    restarted = SandboxProcess(state, log).start()
    try:
        with restarted.client() as client:
            clock = client.get(CLOCK).json()
            assert (clock["now"], clock["frozen"]) == ("2031-03-01T13:00:00Z", True)
            theirs = client.get(CLOCK, headers=OTHER_FIRM).json()
            assert theirs["frozen"] is False and abs(theirs["offsetSeconds"] - running["offsetSeconds"]) <= 1
            assert client.post("/api/v1/sandbox/reset").status_code == 200
            assert client.get(CLOCK).json()["offsetSeconds"] == 0
    finally:
        restarted.stop()
