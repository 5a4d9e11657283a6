"""The faults: each a tiny record naming the rule it breaks and the check that must catch it by name.

A server fault is the sandbox behind a rewrite (`transforms*.py`); a contract fault is the clean sandbox
checked against a copy of the contract with one promise broken (`contracts.py`).
"""
from __future__ import annotations

from dataclasses import dataclass

from faults import (contracts, transforms, transforms_access, transforms_bank, transforms_books, transforms_edges,
                    transforms_filters, transforms_keys, transforms_mcp, transforms_tenancy, transforms_webhooks,
                    transforms_webhooks_relay)

TRANSFORM_MODULES = (transforms, transforms_access, transforms_bank, transforms_books, transforms_keys,
                     transforms_tenancy, transforms_webhooks, transforms_mcp, transforms_edges, transforms_webhooks_relay,
                     transforms_filters)
NEEDS_VALID_TOKEN = frozenset({"auth_ignored", "api_key_any_organization", "unknown_credential_accepted",
                               "foreign_company_answered", "other_firm_sees_company",
                               "foreign_organization_answered", "mcp_auth_ignored",
                               "mcp_other_firm_company_answered"})
# Faults that remember something (keys, pages, secrets): made afresh for each sandbox they wrap.
KEEPS_STATE = frozenset({"key_replayed_whatever_body", "refused_request_keeps_key", "concurrent_duplicates_post_twice",
                         "item_repeated_across_pages", "webhook_secret_listed", "deleted_account_still_readable",
                         "retry_with_new_event_id", "event_id_reused", "cursor_outlives_its_filters"})


@dataclass(frozen=True, slots=True)
class Fault:
    name: str        # "money_as_floats"
    breaks: str      # "R1"
    caught_by: str   # the check that must fail: the clean sandbox passes it, this fault fails it

    @property
    def is_contract(self) -> bool:
        return self.name in contracts.BREAKS


FAULTS = (
    Fault("money_as_floats", "R1", "check_response_money_is_integer"),
    Fault("money_typed_number", "R1", "check_contract_money_fields_are_integers"),
    Fault("bad_money_accepted", "R1", "check_bad_money_refused"),
    Fault("bound_amount_refused", "R1", "check_bound_amounts_accepted"),
    Fault("whole_float_read_as_dollars", "R1", "check_whole_float_either_way"),
    Fault("bill_payment_amount_follows_allocations", "R1", "check_allocations_add_up_exactly"),
    Fault("split_remainder_absorbed", "R1", "check_split_and_match_allocations_exact"),
    Fault("idempotency_key_ignored", "R2", "check_replay_posts_once"),
    Fault("key_replayed_whatever_body", "R2", "check_reuse_with_other_body_refused"),
    Fault("key_scoped_per_route", "R2", "check_reuse_on_other_route_refused"),
    Fault("missing_key_accepted", "R2", "check_missing_key_refused"),
    Fault("malformed_key_accepted", "R2", "check_malformed_key_refused"),
    Fault("refused_request_keeps_key", "R2", "check_rejected_request_leaves_key_unused"),
    Fault("key_scoped_per_path_form", "R2", "check_key_scope_spans_path_forms"),
    Fault("concurrent_duplicates_post_twice", "R2", "check_concurrent_requests_post_once"),
    Fault("report_one_cent_off", "R3", "check_reports_agree_after_postings"),
    Fault("unbalanced_lines_accepted", "R3", "check_unbalanced_entry_refused"),
    Fault("unbalanced_draft_posted", "R3", "check_unbalanced_draft_cannot_post"),
    Fault("void_of_draft_allowed", "R3", "check_entry_lifecycle"),
    Fault("void_changes_nothing", "R3", "check_void_removes_posting"),
    Fault("transfer_to_same_account_accepted", "R3", "check_transfer_between_same_account_refused"),
    Fault("transfer_to_expense_accepted", "R3", "check_transfer_needs_balance_sheet_accounts"),
    Fault("single_account_entry_accepted", "R3", "check_single_account_entry_refused"),
    Fault("report_dates_swapped_silently", "R3", "check_start_after_end_refused"),
    Fault("draft_posted_on_save", "R3", "check_books_state_machine"),
    Fault("book_balance_ignores_as_of", "R3", "check_bank_balance_equals_register"),
    Fault("legacy_error_on_posting_route", "R4", "check_errors_follow_the_shape"),
    Fault("status_400_422_swapped", "R4", "check_errors_follow_the_shape"),
    Fault("server_error_on_bad_input", "R4", "check_bad_input_is_never_a_server_error"),
    Fault("request_id_missing_or_mismatched", "R4", "check_every_response_has_request_id"),
    Fault("auth_ignored", "R5", "check_missing_credential_is_401"),
    Fault("unknown_credential_accepted", "R5", "check_bad_credential_is_401"),
    Fault("foreign_company_answered", "R5", "check_foreign_company_is_hidden"),
    Fault("foreign_organization_answered", "R5", "check_foreign_organization_is_hidden"),
    Fault("other_firm_sees_company", "R5", "check_other_firm_cannot_see_this_company"),
    Fault("api_key_rejected", "R5", "check_api_key_works_for_its_organization"),
    Fault("api_key_any_organization", "R5", "check_api_key_refused_for_other_organization"),
    Fault("organization_header_defaulted", "R5", "check_api_key_needs_organization_header"),
    Fault("resource_found_under_any_company", "R9", "check_resource_hidden_under_sibling_company"),
    Fault("refused_posting_leaves_entry", "R9", "check_refused_request_leaves_no_trace"),
    Fault("report_window_excludes_end", "R9", "check_date_windows_include_both_ends"),
    Fault("deleted_account_still_readable", "R9", "check_final_state_after_void_and_delete"),
    Fault("reconciled_action_claims_success", "R9", "check_reconciled_transaction_refuses_every_action"),
    Fault("exclude_keeps_books", "R9", "check_excluded_transaction_leaves_the_books"),
    Fault("reclassify_changes_nothing", "R9", "check_bank_actions_change_the_books"),
    Fault("trailing_slash_stripped", "R9", "check_impossible_ids_refused"),
    Fault("undeclared_status_sent", "R9", "check_only_declared_statuses"),
    Fault("undeclared_header_sent", "R9", "check_only_declared_headers"),
    Fault("item_repeated_across_pages", "R6", "check_pages_cover_every_item_once"),
    Fault("newest_first_by_offset", "R6", "check_paging_while_items_are_added"),
    Fault("limit_out_of_range_clamped", "R6", "check_limit_bounds"),
    Fault("status_filter_ignored", "R6", "check_equals_filters_match"),
    Fault("end_date_exclusive", "R6", "check_date_filters_match"),
    Fault("updated_since_ignored", "R6", "check_updated_since_filter_matches"),
    Fault("bad_filter_value_answered", "R6", "check_bad_filter_values_refused"),
    Fault("cursor_outlives_its_filters", "R6", "check_cursor_keeps_its_filters"),
    Fault("webhook_secret_listed", "R8", "check_webhook_secret_shown_once"),
    Fault("webhook_signature_wrong", "R8", "check_webhook_deliveries_are_signed"),
    Fault("retry_with_new_event_id", "R8", "check_retries_keep_the_event_id"),
    Fault("event_id_reused", "R8", "check_event_ids_are_unique"),
    Fault("account_read_without_name", "OAS", "check_schemathesis"),
    Fault("entry_read_without_lines", "OAS", "check_stateful_links"),
    Fault("mcp_auth_ignored", "R10", "check_mcp_without_token_is_401"),
    Fault("mcp_challenge_without_metadata", "R10", "check_mcp_metadata_leads_to_the_token_endpoint"),
    Fault("mcp_tool_missing", "R10", "check_mcp_tools_cover_the_jobs"),
    Fault("mcp_replay_posts_twice", "R10", "check_mcp_posting_shows_once_in_rest"),
    Fault("mcp_other_firm_company_answered", "R10", "check_mcp_other_firms_company_refused"),
)
FAULTS_BY_NAME = {fault.name: fault for fault in FAULTS}
SERVER_FAULTS = tuple(fault for fault in FAULTS if not fault.is_contract)


def transform_for(name: str, valid_token: str):
    """The rewrite of server fault `name`; None for the clean sandbox, which a contract fault is checked on."""
    if name == "none" or name in contracts.BREAKS:
        return None
    if name not in FAULTS_BY_NAME:
        raise KeyError(f"unknown fault {name}")
    found = next(getattr(module, name) for module in TRANSFORM_MODULES if hasattr(module, name))
    if name in NEEDS_VALID_TOKEN:
        return found(valid_token)
    return found() if name in KEEPS_STATE else found
