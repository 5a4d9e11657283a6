"""Webhook subscriptions through the partner routes (R8): secret shown once, per company."""

from __future__ import annotations

from tests.api.helpers import AUTH, ORG, SISTER_ORGANIZATION_ID, assert_error, walk_pages

SUBSCRIPTION = {"url": "https://hooks.acme-bookkeeping.example/ledgerhq",
                "events": ["journal_entry.posted", "journal_entry.voided"], "description": "Acme sync"}


def test_created_subscription_shows_its_secret_once(client):
    response = client.post("/api/v1/webhooks", headers=ORG, json=SUBSCRIPTION)
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_") and created["id"].startswith("wh_")
    assert (created["url"], created["events"], created["status"]) == (SUBSCRIPTION["url"], SUBSCRIPTION["events"], "active")
    listed = walk_pages(client, "/api/v1/webhooks", ORG, limit=1)
    assert [w["id"] for w in listed] == [created["id"]]
    assert "secret" not in listed[0]
    sister = walk_pages(client, "/api/v1/webhooks", {**AUTH, "x-organization-id": SISTER_ORGANIZATION_ID}, limit=50)
    assert sister == []


def test_bad_subscriptions_are_400(client):
    for body in ({**SUBSCRIPTION, "events": ["journal_entry.deleted"]}, {**SUBSCRIPTION, "url": "not a url"},
                 {"events": ["journal_entry.posted"]}, {**SUBSCRIPTION, "events": []}):
        assert_error(client.post("/api/v1/webhooks", headers=ORG, json=body), "VALIDATION_ERROR", 400)
    assert walk_pages(client, "/api/v1/webhooks", ORG, limit=50) == []


def test_a_subscription_is_deleted_only_under_its_own_company(client):
    created = client.post("/api/v1/webhooks", headers=ORG, json=SUBSCRIPTION).json()
    sister = {**AUTH, "x-organization-id": SISTER_ORGANIZATION_ID}
    assert_error(client.delete(f"/api/v1/webhooks/{created['id']}", headers=sister), "NOT_FOUND", 404)
    assert [w["id"] for w in walk_pages(client, "/api/v1/webhooks", ORG, limit=50)] == [created["id"]]
    deleted = client.delete(f"/api/v1/webhooks/{created['id']}", headers=ORG)
    assert deleted.status_code == 204 and deleted.content == b""
    assert walk_pages(client, "/api/v1/webhooks", ORG, limit=50) == []
    assert_error(client.delete(f"/api/v1/webhooks/{created['id']}", headers=ORG), "NOT_FOUND", 404)


def test_the_contract_is_served_as_json(client):
    from ledgerhq_contract import load_contract
    served = client.get("/api/openapi.json")
    assert served.status_code == 200 and served.headers["content-type"].startswith("application/json")
    assert served.json() == {**load_contract(), "servers": [{"url": client.app.service.public_url,
                                                              "description": "this sandbox"}]}
