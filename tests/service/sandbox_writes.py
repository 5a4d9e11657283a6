"""One canned valid request per write operation of the `sandbox` tag (the partner ones are
in tests/api/operation_table.py)."""

from __future__ import annotations

from tests.api.helpers import AUTH, COMPANY_ID, ORG, firm_part_of_default_fixtures
from tests.api.operation_table import example_body

SANDBOX = "/api/v1/sandbox"
LOOPBACK_RECEIVER = "http://127.0.0.1:9/hooks"     # the discard port: nothing listens there


def _send_webhook_test(client):
    made = client.post("/api/v1/webhooks", headers=ORG,
                       json={"url": LOOPBACK_RECEIVER, "events": ["webhook.test"]})
    assert made.status_code == 201, made.text
    return client.post(f"{SANDBOX}/webhooks/{made.json()['id']}/test", headers=AUTH)


SANDBOX_WRITES = {
    "resetSandbox": lambda c: c.post(f"{SANDBOX}/reset", headers=AUTH),
    "loadSandboxFixtures": lambda c: c.post(f"{SANDBOX}/fixtures", headers=AUTH,
                                            json=firm_part_of_default_fixtures()),
    "syncSandboxBankAccount": lambda c: c.post(f"{SANDBOX}/bank-accounts/ba_bp_checking/sync",
                                               headers=AUTH, json={"count": 2}),
    "failSandboxBankFeed": lambda c: c.post(f"{SANDBOX}/bank-feeds/feed_bp_firstbank/fail",
                                            headers=AUTH, json={"status": "error"}),
    "sendSandboxWebhookTest": _send_webhook_test,
    "setSandboxFaults": lambda c: c.put(f"{SANDBOX}/faults", headers=AUTH,
                                        json={"status": 503, "remaining": 1}),
    "clearSandboxFaults": lambda c: c.delete(f"{SANDBOX}/faults", headers=AUTH),
    "createSandboxBill": lambda c: c.post(f"{SANDBOX}/companies/{COMPANY_ID}/bills", headers=AUTH,
                                          json=example_body("createSandboxBill")),
    "createSandboxInvoice": lambda c: c.post(f"{SANDBOX}/companies/{COMPANY_ID}/invoices",
                                             headers=AUTH, json=example_body("createSandboxInvoice")),
    "createSandboxSession": lambda c: c.post(f"{SANDBOX}/session", json={}),
    "setSandboxClock": lambda c: c.put(f"{SANDBOX}/clock", headers=AUTH, json={"advanceSeconds": 60}),
    "triggerSandboxEvent": lambda c: c.post(f"{SANDBOX}/companies/{COMPANY_ID}/events", headers=AUTH,
                                            json={"type": "journal_entry.voided"}),
}
