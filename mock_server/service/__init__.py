"""The sandbox service: no web framework. See sandbox.py (SandboxService), writes.py (the
one write path), faults.py (forced faults) and mock_server/clock.py (the one clock)."""

from mock_server.service.faults import DELAY_MS_MAX, Fault, SandboxFault
from mock_server.service.sandbox import DEFAULT_FIXTURES, SandboxService
from mock_server.service.writes import Committed, MemoryJournal, Write

__all__ = ["DEFAULT_FIXTURES", "DELAY_MS_MAX", "Committed", "Fault", "MemoryJournal",
           "SandboxFault", "SandboxService", "Write"]
