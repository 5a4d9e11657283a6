"""Generated clients stay working: openapi-python-client (0.29.1, the dev extra) generates a Python
client from the packaged openapi.json once per session, into a temporary directory; the client
lists companies and posts a purchase with an Idempotency-Key against a live sandbox, and the
replay is the same receipt.

The one warning the generator gives is expected: `POST /api/v1/sandbox/fixtures` also takes its
fixture file as `application/x-yaml`, a media type the generator has no body type for; the JSON
form of the same operation is generated. Any other warning fails the test."""
from __future__ import annotations

import datetime
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ledgerhq_contract import CONTRACT_PATH

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
GENERATOR_VERSION = "0.29.1"
GENERATE_TIMEOUT_S = 120
PACKAGE = "ledgerhq_generated_client"
EXPECTED_WARNINGS = [("POST /api/v1/sandbox/fixtures within sandbox", "Unsupported content type application/x-yaml")]
WARNING_PATTERN = re.compile(r"^WARNING parsing (.+?)\.\n\n(.+)$", re.M)
TOKEN = "mcp_at_sandbox_summit_firm_token"
COMPANY_ID = "cmp_brightpixel"


def generator_missing() -> str | None:
    try:
        found = subprocess.run([str(GENERATOR), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"openapi-python-client is not installed ({error}): pip install 'openapi-python-client=={GENERATOR_VERSION}'"
    if GENERATOR_VERSION not in found.stdout:
        return f"openapi-python-client {GENERATOR_VERSION} is needed, found {found.stdout.strip() or found.stderr.strip()}"
    return None


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[object, str]:
    """The generated package, imported, and the generator's output (generated once per session)."""
    reason = generator_missing()
    if reason:
        pytest.skip(f"no generated client: {reason}")
    root = tmp_path_factory.mktemp("generated-client")
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")      # no formatter run: the code is imported, not read
    done = subprocess.run([str(GENERATOR), "generate", "--path", str(CONTRACT_PATH), "--meta", "none",
                           "--output-path", str(root / PACKAGE), "--config", str(config)],
                          capture_output=True, text=True, timeout=GENERATE_TIMEOUT_S)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(PACKAGE), output
    finally:
        sys.path.remove(str(root))


def test_the_contract_generates_with_no_unexpected_warning(generated) -> None:
    _, output = generated
    assert WARNING_PATTERN.findall(output) == EXPECTED_WARNINGS, output[-3000:]


@pytest.mark.slow
def test_the_generated_client_lists_companies_and_posts_a_purchase(generated) -> None:
    from tests.e2e.live_server import start_sandbox
    package, _ = generated
    list_companies = importlib.import_module(f"{PACKAGE}.api.companies.list_companies")
    create_purchase = importlib.import_module(f"{PACKAGE}.api.postings.create_company_purchase")
    models = importlib.import_module(f"{PACKAGE}.models")
    live = start_sandbox(webhook_retry_base_s=0.01, own_public_url=True)
    try:
        with package.AuthenticatedClient(base_url=live.base_url, token=TOKEN) as client:
            listed = list_companies.sync_detailed(client=client)
            assert listed.status_code == 200, listed.content
            assert COMPANY_ID in [company.id for company in listed.parsed.data]
            purchase = models.PurchaseCreate(date=datetime.date(2026, 6, 8), source_account_id="acc_bp_checking",
                                             category_account_id="acc_bp_office_supplies", amount_cents=4299,
                                             description="Office supplies", reference="generated-client-1001")
            posted = create_purchase.sync_detailed(COMPANY_ID, client=client, body=purchase,
                                                   idempotency_key="generated-client-purchase-1")
            replayed = create_purchase.sync_detailed(COMPANY_ID, client=client, body=purchase,
                                                     idempotency_key="generated-client-purchase-1")
    finally:
        live.stop()
    assert posted.status_code == 201, posted.content
    assert isinstance(posted.parsed, models.PostingReceipt) and posted.parsed.journal_entry_id.startswith("je_")
    assert replayed.status_code == 201 and replayed.headers["idempotent-replayed"] == "true"
    assert replayed.parsed.to_dict() == posted.parsed.to_dict()
