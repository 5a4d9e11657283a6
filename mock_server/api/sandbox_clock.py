"""Tag `sandbox`: the firm's sandbox clock (GET/PUT /api/v1/sandbox/clock), like a test clock.

The clock is the service's one `Clock` (mock_server/clock.py), read per firm: freezing,
advancing or resuming it moves the caller's firm's time only. The change runs as a write,
so durable state journals it and a restart has the same clock.
"""

from __future__ import annotations

import datetime as dt

from mock_server.api.http import request
from mock_server.clock import rfc3339
from mock_server.ledger import InvalidField
from mock_server.service import Write


async def get_sandbox_clock(service):
    firm_id = firm_for_clock(service)
    return clock_json(service, firm_id), 200


async def set_sandbox_clock(service, body):
    firm_id = firm_for_clock(service)
    change = clock_change(service, firm_id, body)
    done = await service.write(Write("set_sandbox_clock", None, {**body, "firmId": firm_id}), change,
                               lambda _: clock_json(service, firm_id))
    service.deliveries.clock_moved()        # waiting webhook retries may be due now
    return done.answer, 200


def firm_for_clock(service) -> str:
    """The caller's firm (the clock has no every-firm form: the admin key is not accepted)."""
    firm_id = service.firm_of(request().caller)
    assert firm_id is not None, "the contract admits no admin key here"
    return firm_id


def clock_change(service, firm_id: str, body: dict):
    """The one change the body names (the contract allows exactly one field)."""
    clock = service.clock
    if "frozenAt" in body:
        at = parse_instant(body["frozenAt"])
        return lambda: clock.freeze(firm_id, at)
    if "advanceSeconds" in body:
        return lambda: clock.advance(firm_id, body["advanceSeconds"])
    if body.get("frozen") is True:
        return lambda: clock.freeze(firm_id)
    return lambda: clock.resume(firm_id)


def parse_instant(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidField("frozenAt", "must be an RFC 3339 date-time with an offset (2026-07-01T09:00:00Z)")
    return moment


def clock_json(service, firm_id: str) -> dict:
    clock = service.clock
    return {"now": rfc3339(clock.now(firm_id)), "frozen": firm_id in clock.frozen,
            "offsetSeconds": round(clock.offset(firm_id).total_seconds())}
