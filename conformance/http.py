"""The suite's only way to reach an implementation: HTTP requests recorded as exchanges."""
from __future__ import annotations

import json
import shlex
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx

HISTORY_EXCHANGES_MAX = 20_000
RATE_LIMIT_RETRIES_MAX = 3         # a 429 with Retry-After is waited for and sent again this many times
RETRY_AFTER_S_MAX = 30.0
NOT_SET: Any = object()
DEFAULT: Any = object()


def parse_json(text: str) -> Any:
    """JSON as sent: floats stay floats, so `1250.0` is seen as a float (R1)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return NOT_SET


@dataclass(slots=True)
class Exchange:
    method: str
    url: str
    path: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int
    headers: httpx.Headers
    text: str
    secrets: dict[str, str] = field(default_factory=dict)
    _json: Any = NOT_SET

    @property
    def json(self) -> Any:
        if self._json is NOT_SET:
            self._json = parse_json(self.text)
        return None if self._json is NOT_SET else self._json

    @property
    def is_json(self) -> bool:
        return parse_json(self.text) is not NOT_SET

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-request-id")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def error(self) -> dict | None:
        body = self.json
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return body["error"]
        return None

    @property
    def error_code(self) -> str | None:
        error = self.error()
        return error.get("code") if error else None

    def curl(self) -> str:
        parts = ["curl", "-sS", "-i", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.request_headers.items():
            if name.lower() in {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"}:
                continue
            parts += ["-H", self._header_arg(name, value)]
        if not self.request_body:
            return " ".join(parts)
        try:
            return " ".join(parts + ["--data-raw", shlex.quote(self.request_body.decode("utf-8"))])
        except UnicodeDecodeError:         # bytes that are not text: piped in exactly as sent
            escaped = "".join(f"\\x{byte:02x}" for byte in self.request_body)
            return f"printf '{escaped}' | " + " ".join(parts + ["--data-binary", "@-"])

    def _header_arg(self, name: str, value: str) -> str:
        for secret, variable in self.secrets.items():
            if secret and secret in value:
                return '"' + f"{name}: {value.replace(secret, variable)}".replace('"', '\\"') + '"'
        return shlex.quote(f"{name}: {value}")


def new_idempotency_key() -> str:
    return f"conf-{uuid.uuid4().hex}"


class Api:
    """A thin httpx client that fills credentials and records every exchange."""

    def __init__(self, base_url: str, token: str, *, timeout_s: float, secrets: dict[str, str],
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.secrets = secrets
        # trust_env: HTTPS_PROXY, NO_PROXY and SSL_CERT_FILE (set by --ca-bundle) are honoured
        self.client = httpx.Client(base_url=self.base_url, timeout=timeout_s, follow_redirects=False, trust_env=True,
                                   transport=transport)
        self.history: deque[Exchange] = deque(maxlen=HISTORY_EXCHANGES_MAX)
        self.observers: list = []          # callables given every exchange (coverage, progress)
        self.rate_limited_waits = 0

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, *, token: Any = DEFAULT, org: str | None = None,
                json_body: Any = NOT_SET, content: bytes | None = None, params: dict | None = None,
                headers: dict[str, str] | None = None) -> Exchange:
        sent = {"Accept": "application/json"}
        token = self.token if token is DEFAULT else token
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if org is not None:
            sent["x-organization-id"] = org
        if json_body is not NOT_SET:
            content = json.dumps(json_body).encode()
        if content is not None:
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        request = self.client.build_request(method, path, params=params, headers=sent, content=content)
        response = self.send_waiting(request, forced="prefer" in {name.lower() for name in sent})
        exchange = Exchange(
            method=method, url=str(request.url), path=request.url.path, request_headers=dict(request.headers),
            request_body=content or b"", status=response.status_code, headers=response.headers,
            text=response.text, secrets=self.secrets,
        )
        self.history.append(exchange)
        for observer in self.observers:
            observer(exchange)
        return exchange

    def send_waiting(self, request: httpx.Request, forced: bool) -> httpx.Response:
        """A 429 with Retry-After (seconds) is waited for and sent again, a bounded number of times;
        a status the request forced (`Prefer`) is the answer the check wants."""
        response = self.client.send(request)
        for _ in range(RATE_LIMIT_RETRIES_MAX):
            wait_s = retry_after_s(response)
            if forced or response.status_code != 429 or wait_s is None:
                break
            self.rate_limited_waits += 1
            time.sleep(wait_s)
            response = self.client.send(request)
        return response


def retry_after_s(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return min(max(float(value), 0.0), RETRY_AFTER_S_MAX)
    except ValueError:
        return None
