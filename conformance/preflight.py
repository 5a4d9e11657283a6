"""Before a run, one request each: the server answers, the credential is accepted, a company is reachable.

A failure is one plain sentence naming the cause and what to pass; the CLI exits 3 with it.
"""
from __future__ import annotations

import httpx

from conformance.config import RunConfig

CONNECT_TIMEOUT_S = 5.0
HEALTH_PATH = "/api/health"
COMPANIES_PATH = "/api/v1/companies"


def client_for(config: RunConfig) -> httpx.Client:
    timeout = httpx.Timeout(min(config.request_timeout_s, CONNECT_TIMEOUT_S * 2), connect=CONNECT_TIMEOUT_S)
    return httpx.Client(base_url=config.base_url.rstrip("/"), timeout=timeout, trust_env=True)


def server_problem(client: httpx.Client, base_url: str) -> str | None:
    try:
        answer = client.get(HEALTH_PATH)
    except httpx.TimeoutException:
        return (f"The server at {base_url} did not answer within {CONNECT_TIMEOUT_S:.0f} s; "
                "check --base-url (and the proxy variables), or raise --request-timeout.")
    except httpx.HTTPError as error:
        reason = str(error).split("]")[-1].strip() or type(error).__name__
        return f"Cannot reach {base_url} ({reason}); pass --base-url of a running implementation."
    if answer.status_code >= 500:
        return f"The server at {base_url} answered GET {HEALTH_PATH} with {answer.status_code}; it is not ready."
    return None


def credential_problem(client: httpx.Client, config: RunConfig) -> tuple[str | None, httpx.Response | None]:
    headers = {"Authorization": f"Bearer {config.token}", "Accept": "application/json"}
    try:
        listed = client.get(COMPANIES_PATH, params={"limit": 1}, headers=headers)
    except httpx.HTTPError as error:
        return f"GET {COMPANIES_PATH} on {config.base_url} failed ({type(error).__name__}).", None
    if listed.status_code in (401, 403):
        return (f"The server at {config.base_url} refused the credential ({listed.status_code} on GET "
                f"{COMPANIES_PATH}); pass --token with a valid firm access token (mcp_at_...)."), None
    if listed.status_code != 200:
        return (f"GET {COMPANIES_PATH} on {config.base_url} answered {listed.status_code}, not 200; "
                "is --base-url the partner API's root?"), None
    return None, listed


def company_problem(client: httpx.Client, config: RunConfig, listed: httpx.Response) -> str | None:
    headers = {"Authorization": f"Bearer {config.token}", "Accept": "application/json"}
    if config.company_id:
        try:
            got = client.get(f"{COMPANIES_PATH}/{config.company_id}", headers=headers)
        except httpx.HTTPError as error:
            return f"GET {COMPANIES_PATH}/{config.company_id} failed ({type(error).__name__})."
        if got.status_code != 200:
            return (f"Company {config.company_id} is not reachable with this credential ({got.status_code}); "
                    "pass --company-id of a company the token's firm manages.")
        return None
    try:
        rows = listed.json().get("data")
    except (ValueError, AttributeError):
        rows = None
    if not rows:
        return ("The credential reaches no company (GET /api/v1/companies is empty); connect a company to the "
                "token's firm, or pass --token of a firm that manages one.")
    return None


def preflight(config: RunConfig) -> str | None:
    """None when the run can start, else the one sentence that says why not."""
    with client_for(config) as client:
        problem = server_problem(client, config.base_url)
        if problem:
            return problem
        problem, listed = credential_problem(client, config)
        if problem:
            return problem
        return company_problem(client, config, listed)
