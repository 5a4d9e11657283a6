"""What a partner's own code would hold: the PKCE login and a snapshot of the figures the
reports show, so a test can say how much each step moved them."""
from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Callable, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx

CLIENT_ID = "lhq_client_sandbox"
REDIRECT_URI = "http://127.0.0.1:8765/callback"
COMPANY_ID = "cmp_brightpixel"
ORGANIZATION_ID = "org_brightpixel"
CHECKING_BANK_ACCOUNT_ID = "ba_bp_checking"
CHECKING_ACCOUNT_ID = "acc_bp_checking"
POLL_S = 0.05
T = TypeVar("T")


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 4.1-4.2 describe them."""
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(48)).rstrip(b"=").decode()
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_query(challenge: str, state: str, **extra: str) -> dict[str, str]:
    return {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
            "state": state, "code_challenge": challenge, "code_challenge_method": "S256", **extra}


def redirect_query(response: httpx.Response) -> dict[str, str]:
    """The query of a 302 to the registered redirect URI, one value per name."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def oauth_login(client: httpx.Client) -> dict:
    """Authorization Code + PKCE, as a script runs it: authorize, follow nothing, exchange."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(12)
    query = redirect_query(client.get("/api/oauth/authorize", params=authorize_query(challenge, state)))
    assert query["state"] == state
    response = client.post("/api/oauth/token", data={
        "grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI,
        "client_id": CLIENT_ID, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()


@dataclass(frozen=True)
class Figures:
    """The numbers the reports show for one company on one day."""
    net_debit_cents: dict[str, int]         # trial balance: debits - credits per account
    net_income_cents: int                   # P&L, January 1 to the day
    total_assets_cents: int                 # balance sheet
    total_liabilities_cents: int
    reconciliation: dict                    # bank reconciliation status of the checking account

    def net_debit(self, account_id: str) -> int:
        return self.net_debit_cents.get(account_id, 0)


def figures(client: httpx.Client, day: str) -> Figures:
    base = f"/api/v1/companies/{COMPANY_ID}/reports"
    trial = ok(client.get(f"{base}/trial-balance", params={"asOf": day}))
    profit = ok(client.get(f"{base}/profit-and-loss", params={"endDate": day}))
    sheet = ok(client.get(f"{base}/balance-sheet", params={"asOf": day}))
    status = ok(client.get("/api/v1/reports/bank-reconciliation-status", params={"asOf": day},
                           headers={"x-organization-id": ORGANIZATION_ID}))
    assert trial["totalDebitCents"] == trial["totalCreditCents"]
    assert sheet["totalAssetsCents"] == sheet["totalLiabilitiesAndEquityCents"]
    checking = next(row for row in status["accounts"]
                    if row["bankAccountId"] == CHECKING_BANK_ACCOUNT_ID)
    return Figures({row["accountId"]: row["debitCents"] - row["creditCents"] for row in trial["rows"]},
                   profit["netIncomeCents"], sheet["totalAssetsCents"],
                   sheet["totalLiabilitiesCents"], checking)


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def eventually(fetch: Callable[[], T], done: Callable[[T], bool], timeout_s: float) -> T:
    """Fetch until `done` holds or `timeout_s` passes (bounded); returns the last fetch."""
    deadline = time.monotonic() + timeout_s
    for _ in range(int(timeout_s / POLL_S) + 1):
        found = fetch()
        if done(found) or time.monotonic() > deadline:
            return found
        time.sleep(POLL_S)
    return found
