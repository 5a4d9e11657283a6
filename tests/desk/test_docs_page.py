"""The API docs in the browser (`GET /api/docs`, mock_server/docs): Swagger UI served by the sandbox
itself, the contract it loads naming the sandbox's own origin, and in a real headless chromium that
reaches 127.0.0.1 only: the page loads, lists every operation of the contract, and a "Try it out"
call answers 200 on the page with the pre-authorized token."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from ledgerhq_contract import load_contract, operations
from mock_server.app import create_app
from mock_server.docs import ASSETS_PATH, OWN_FILES, SWAGGER_UI_FILES
from mock_server.webhooks.hosts import LOOPBACK_HOSTS
from tools.browser import chromium_missing, local_browser

TOKEN = "mcp_at_sandbox_summit_firm_token"
PUBLIC_URL = "https://sandbox.example.com"
RENDER_WAIT_MS = 25_000
CALL_WAIT_MS = 10_000
URL_PATTERN = re.compile(rb"https?://")


@pytest.fixture(scope="module")
def desk() -> TestClient:
    app = create_app(webhook_hosts=LOOPBACK_HOSTS, public_url=PUBLIC_URL, validate_responses="strict")
    with TestClient(app, base_url="http://127.0.0.1:8080") as client:
        yield client


def test_the_page_names_no_other_host_and_carries_the_token(desk) -> None:
    response = desk.get("/api/docs")
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    assert not URL_PATTERN.search(response.content), "the page names a URL: it must load from this origin only"
    assert f'data-access-token="{TOKEN}"' in response.text and 'data-contract-url="/api/openapi.json"' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and f"connect-src 'self' {PUBLIC_URL};" in policy
    assert response.headers["cache-control"] == "no-store"
    script = desk.get(f"{ASSETS_PATH}docs-init.js")
    assert "validatorUrl: null" in script.text and 'preauthorizeApiKey("bearerAuth", token)' in script.text
    assert not URL_PATTERN.search(script.content)


def test_every_asset_is_served_and_nothing_else(desk) -> None:
    for name, media_type in {**SWAGGER_UI_FILES, **OWN_FILES}.items():
        response = desk.get(ASSETS_PATH + name)
        assert response.status_code == 200 and response.headers["content-type"] == media_type, name
        assert response.content and response.headers["x-request-id"].startswith("req_")
    missing = desk.get(f"{ASSETS_PATH}../openapi.json")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    posted = desk.post(f"{ASSETS_PATH}docs-init.js")
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"


def test_the_served_contract_names_the_public_url_only(desk) -> None:
    served = desk.get("/api/openapi.json").json()
    assert served["servers"] == [{"url": PUBLIC_URL, "description": "this sandbox"}]
    assert {**served, "servers": None} == {**load_contract(), "servers": None}


@pytest.fixture(scope="module")
def browser():
    reason = chromium_missing()
    if reason:
        pytest.skip(f"no headless browser for the docs page: {reason}")
    with local_browser() as local:
        yield local


@pytest.mark.slow
def test_the_docs_page_lists_the_contract_and_tries_an_operation(browser) -> None:
    from tests.e2e.live_server import start_sandbox
    live = start_sandbox(webhook_retry_base_s=0.01, own_public_url=True)
    try:
        page = browser.new_page()
        page.goto(f"{live.base_url}/api/docs")
        page.wait_for_selector(".opblock", timeout=RENDER_WAIT_MS)
        shown = set(page.eval_on_selector_all(".opblock", "blocks => blocks.map(block => block.id)"))
        assert shown == {f"operations-{op['tags'][0]}-{op['operationId']}" for _, _, op in operations(load_contract())}
        block = "#operations-companies-listCompanies"
        page.click(f"{block} .opblock-summary")
        page.click(f"{block} .try-out__btn")
        page.click(f"{block} .execute")
        status = page.wait_for_selector(f"{block} .live-responses-table tbody .response-col_status",
                                        timeout=CALL_WAIT_MS)
        assert status.inner_text().strip() == "200"
        assert page.inner_text(f"{block} .request-url").strip().endswith(f"{live.base_url}/api/v1/companies?limit=50")
        assert "cmp_brightpixel" in page.inner_text(f"{block} .live-responses-table tbody .response-col_description")
        assert f"Authorization: Bearer {TOKEN}" in page.inner_text(f"{block} .curl")
    finally:
        live.stop()
    assert browser.foreign == [], "the page asked another host than 127.0.0.1"
    assert browser.console_errors == []
