"""Crafted breaks of the R9 edges and of R8 retries: small changes to one request or response, or, for
deliveries, a relay between the sandbox and the suite's receiver."""
from __future__ import annotations

import json
import secrets
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from tests.checks.harness import Craft, Send, answer, body_of, error_code, with_body, with_header

BANK_ACTIONS = ("exclude", "match", "reclassify", "reconcile", "split")
DATED_REPORTS = ("/profit-and-loss", "/general-ledger", "/trial-balance", "/balance-sheet")
RELAY_LIFETIME_S = 60.0


def bank_action(request: httpx.Request) -> str | None:
    parts = request.url.path.rstrip("/").split("/")
    if request.method == "POST" and len(parts) >= 3 and parts[-3] == "bank-transactions" and parts[-1] in BANK_ACTIONS:
        return parts[-1]
    return None


def claimed(request: httpx.Request, status: str, like: httpx.Response | None = None) -> httpx.Response:
    return answer(200, {"id": request.url.path.rstrip("/").split("/")[-2], "status": status}, like)


def refused_posting_leaves_entry() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        body = body_of(request)
        if request.url.path.endswith("/journal-entries") and error_code(response) == "UNBALANCED_ENTRY":
            lines = body["lines"]
            debits = sum(line.get("debitCents", 0) for line in lines)
            credit = next(line for line in lines if "creditCents" in line)
            fixed = [line for line in lines if "debitCents" in line] + [{**credit, "creditCents": debits}]
            send(with_header(with_body(request, {**body, "lines": fixed}), "Idempotency-Key",
                             f"ghost-{secrets.token_hex(8)}"))
        return response
    return craft


def window_ends_early() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith(DATED_REPORTS):
            params = dict(request.url.params)
            for name in ("endDate", "asOf"):
                if name in params:
                    params[name] = (date.fromisoformat(params[name]) - timedelta(days=1)).isoformat()
            request = httpx.Request("GET", request.url.copy_with(params=params), headers=request.headers)
        return send(request)
    return craft


def deleted_account_readable() -> Craft:
    deleted: dict[str, httpx.Response] = {}

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        path = request.url.path
        one_account = path.startswith("/api/v1/accounts/") and path.count("/") == 4
        if request.method == "DELETE" and one_account:
            before = send(httpx.Request("GET", request.url, headers=request.headers))
            response = send(request)
            if response.status_code == 204 and before.status_code == 200:
                deleted[path] = before
            return response
        response = send(request)
        if request.method == "GET" and response.status_code == 404 and path in deleted:
            return deleted[path]
        return response
    return craft


def reconciled_action_done() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if bank_action(request) and error_code(response) == "INVALID_STATE":
            return claimed(request, "reconciled", response)
        return response
    return craft


def action_not_done(action: str, status: str) -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        return claimed(request, status) if bank_action(request) == action else send(request)
    return craft


def trailing_slash_dropped() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        raw = request.url.raw_path.decode("ascii")
        path, _, query = raw.partition("?")
        if len(path) > 1 and path.endswith("/"):
            fixed = path.rstrip("/") + (f"?{query}" if query else "")
            request = httpx.Request(request.method, request.url.copy_with(raw_path=fixed.encode()),
                                    headers=request.headers, content=request.content)
        return send(request)
    return craft


def feed_health_202() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        if request.url.path == "/api/v1/bank-feeds/health" and response.status_code == 200:
            return httpx.Response(202, headers=response.headers, content=response.content)
        return response
    return craft


def extra_header() -> Craft:
    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        response = send(request)
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers + [("x-ledger-shard", "7")],
                              content=response.content)
    return craft


class Relay:
    """A receiver-side relay on 127.0.0.1: each delivery is passed on to `?to=` with its event id rewritten."""

    def __init__(self, event_id_for) -> None:
        self.event_id_for = event_id_for
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server.daemon_threads = True
        self.server.timeout = 0.05
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        deadline = threading.Event()
        threading.Timer(RELAY_LIFETIME_S, deadline.set).start()
        while not deadline.is_set():
            self.server.handle_request()

    def url_for(self, target: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/relay?to={quote(target, safe='')}"

    def handler(self):
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                event = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                event_id = relay.event_id_for()
                event["id"] = event_id
                target = parse_qs(urlsplit(self.path).query)["to"][0]
                try:
                    status = httpx.post(target, content=json.dumps(event).encode(), timeout=5.0, headers={
                        "content-type": "application/json", "ledgerhq-event-id": event_id,
                        "ledgerhq-delivery-attempt": self.headers.get("ledgerhq-delivery-attempt", "1")}).status_code
                except httpx.HTTPError:        # the receiver is gone: its check has ended
                    status = 502
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                return None
        return Handler


def relayed(event_id_for) -> Craft:
    relay = Relay(event_id_for)

    def craft(request: httpx.Request, send: Send) -> httpx.Response:
        body = body_of(request)
        if request.method == "POST" and request.url.path == "/api/v1/webhooks" and isinstance(body, dict):
            request = with_body(request, {**body, "url": relay.url_for(body["url"])})
        return send(request)
    return craft


CRAFTS_EDGES = {
    "check_refused_request_leaves_no_trace": refused_posting_leaves_entry,
    "check_date_windows_include_both_ends": window_ends_early,
    "check_final_state_after_void_and_delete": deleted_account_readable,
    "check_reconciled_transaction_refuses_every_action": reconciled_action_done,
    "check_excluded_transaction_leaves_the_books": lambda: action_not_done("exclude", "excluded"),
    "check_bank_actions_change_the_books": lambda: action_not_done("reclassify", "categorized"),
    "check_impossible_ids_refused": trailing_slash_dropped,
    "check_only_declared_statuses": feed_health_202,
    "check_only_declared_headers": extra_header,
    "check_retries_keep_the_event_id": lambda: relayed(lambda: f"evt_{secrets.token_hex(12)}"),
    "check_event_ids_are_unique": lambda: relayed(lambda: "evt_reused_000000000000000000"),
}
