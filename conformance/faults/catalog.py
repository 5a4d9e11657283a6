"""The faulty servers: each a tiny record naming the rule it breaks and the check expected to catch it."""
from __future__ import annotations

from dataclasses import dataclass

from conformance.faults import transforms, transforms_bank, transforms_mcp, transforms_tenancy, transforms_webhooks

RULE_MODULE_BY_ID = {"R1": "money", "R2": "idempotency", "R3": "balance", "R4": "errors", "R5": "auth",
                     "R6": "lists", "R8": "webhooks", "R9": "edges", "R10": "mcp", "OAS": "contract"}
TRANSFORM_MODULES = (transforms, transforms_bank, transforms_tenancy, transforms_webhooks, transforms_mcp)
NEEDS_VALID_TOKEN = frozenset({"auth_ignored", "api_key_any_organization", "mcp_auth_ignored",
                               "mcp_other_firm_company_answered"})


@dataclass(frozen=True, slots=True)
class Fault:
    name: str        # "money_as_floats"
    breaks: str      # "R1"
    caught_by: str   # the check expected to fail: clean sandbox passes it, this fault fails it

    @property
    def rule_module(self) -> str:
        return RULE_MODULE_BY_ID[self.breaks]


FAULTS = (
    Fault("money_as_floats", "R1", "check_response_money_is_integer"),
    Fault("bad_money_accepted", "R1", "check_bad_money_refused"),
    Fault("split_remainder_absorbed", "R1", "check_split_and_match_allocations_exact"),
    Fault("idempotency_key_ignored", "R2", "check_replay_posts_once"),
    Fault("key_replayed_whatever_body", "R2", "check_reuse_with_other_body_refused"),
    Fault("missing_key_accepted", "R2", "check_missing_key_refused"),
    Fault("refused_request_keeps_key", "R2", "check_rejected_request_leaves_key_unused"),
    Fault("unbalanced_lines_accepted", "R3", "check_unbalanced_entry_refused"),
    Fault("report_one_cent_off", "R3", "check_reports_agree_after_postings"),
    Fault("void_changes_nothing", "R3", "check_void_removes_posting"),
    Fault("book_balance_ignores_as_of", "R3", "check_bank_balance_equals_register"),
    Fault("legacy_error_on_posting_route", "R4", "check_errors_follow_the_shape"),
    Fault("request_id_missing_or_mismatched", "R4", "check_every_response_has_request_id"),
    Fault("status_400_422_swapped", "R4", "check_errors_follow_the_shape"),
    Fault("server_error_on_bad_input", "R4", "check_bad_input_is_never_a_server_error"),
    Fault("auth_ignored", "R5", "check_missing_credential_is_401"),
    Fault("api_key_rejected", "R5", "check_api_key_works_for_its_organization"),
    Fault("api_key_any_organization", "R5", "check_api_key_refused_for_other_organization"),
    Fault("organization_header_defaulted", "R5", "check_api_key_needs_organization_header"),
    Fault("webhook_secret_listed", "R8", "check_webhook_secret_shown_once"),
    Fault("webhook_signature_wrong", "R8", "check_webhook_deliveries_are_signed"),
    Fault("resource_found_under_any_company", "R9", "check_resource_hidden_under_sibling_company"),
    Fault("item_repeated_across_pages", "R6", "check_pages_cover_every_item_once"),
    Fault("entry_read_without_lines", "OAS", "check_stateful_links"),
    Fault("mcp_auth_ignored", "R10", "check_mcp_without_token_is_401"),
    Fault("mcp_challenge_without_metadata", "R10", "check_mcp_metadata_leads_to_the_token_endpoint"),
    Fault("mcp_tool_missing", "R10", "check_mcp_tools_cover_the_jobs"),
    Fault("mcp_replay_posts_twice", "R10", "check_mcp_posting_shows_once_in_rest"),
    Fault("mcp_other_firm_company_answered", "R10", "check_mcp_other_firms_company_refused"),
)
FAULTS_BY_NAME = {fault.name: fault for fault in FAULTS}


def transform_for(name: str, valid_token: str):
    """The rewrite of fault `name`; None for the clean sandbox."""
    if name == "none":
        return None
    if name not in FAULTS_BY_NAME:
        raise KeyError(f"unknown fault {name}")
    found = next(getattr(module, name) for module in TRANSFORM_MODULES if hasattr(module, name))
    return found(valid_token) if name in NEEDS_VALID_TOKEN else found
