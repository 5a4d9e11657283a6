"""The MCP tools: thin calls into the same books, tenancy and posting path as the REST handlers.

Arguments carry the contract's field names (`companyId`, `debitCents`, ...) and money as integer
cents; values the domain checks (money, dates, lines, keys) reach the same parsers as REST
unchanged, so a refusal has the REST code and message. A domain error is a tool error whose
structured content is the REST error body.
"""

# No `from __future__ import annotations`: the SDK evaluates these signatures as objects.

import functools
import json
import re
from typing import Annotated, Any

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, WithJsonSchema

from ledgerhq_contract import inline_refs, load_contract
from mock_server import context, errors
from mock_server.api import reports
from mock_server.api.http import listing
from mock_server.auth import oauth_token
from mock_server.auth.errors import AuthError
from mock_server.domain_error import DomainError
from mock_server.error_kinds import ErrorKind
from mock_server.ledger import InvalidField
from mock_server.ledger.list_filters import bank_transaction_filter, entry_filter
from mock_server.mcp.writes import McpWrites
from mock_server.middleware.request_context import new_request_id

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True,
                         open_world_hint=False)
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")     # R2, as the Idempotency-Key header
REPORTS = {"profit_and_loss": "range", "balance_sheet": "as_of", "trial_balance": "as_of",
           "general_ledger": "range"}

CompanyId = Annotated[str, Field(max_length=100, description="A company id from list_companies.")]
Limit = Annotated[int, Field(ge=1, le=200, strict=True, description="Page size (R6).")]
Cursor = Annotated[str | None, Field(max_length=500, description="nextCursor of the previous page.")]
Day = Annotated[str | None, Field(max_length=10, description="A calendar date YYYY-MM-DD.")]
# The REST lists' filters (the contract's x-filter parameters), checked by the same parser.
Status = Annotated[str | None, Field(max_length=20, description="Only items with this status.")]
FromDay = Annotated[str | None, Field(max_length=10, description="Only items dated on or after this day.")]
ToDay = Annotated[str | None, Field(max_length=10, description="Only items dated on or before this day.")]
Since = Annotated[str | None, Field(max_length=40, description="Only items changed at or after this "
                                                                "RFC 3339 moment (incremental sync).")]
CONTRACT = load_contract()


def contract_field(schema_name: str, property_name: str) -> WithJsonSchema:
    """A tool argument published with the contract's own schema of that request field."""
    schema = inline_refs(CONTRACT, CONTRACT["components"]["schemas"][schema_name])
    return WithJsonSchema(schema["properties"][property_name])


class LedgerTools:
    """Each tool method reads the live service on every call (a reset replaces the books)."""

    def __init__(self, service, writes: McpWrites) -> None:
        self.service = service
        self.writes = writes            # the writing tools' operations, recorded with --state (writes.py)

    def caller(self):
        token = get_access_token()
        found = token and oauth_token.resolve(self.service.credentials, token.token,
                                              self.service.credential_now_s(token.token),
                                              oauth_token.MCP_RESOURCE_PATH)
        if not found:
            raise AuthError(errors.UNAUTHORIZED_MESSAGE)           # expired or revoked meanwhile
        return found

    def books(self, company_id: str):
        return self.service.books_for_company(self.caller(), company_id)   # NOT_FOUND: another firm's

    async def list_companies(self, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
        companies = [found.company for found in self.service.visible_books(self.caller())]
        return listing(self.service, companies, limit, cursor)

    async def list_accounts(self, companyId: CompanyId, limit: Limit = 50,
                            cursor: Cursor = None) -> dict[str, Any]:
        found = self.books(companyId)
        return listing(self.service, found.list_accounts(), limit, cursor,
                       self.service.shapes.account_for(found))

    async def list_journal_entries(self, companyId: CompanyId, limit: Limit = 50, cursor: Cursor = None,
                                   status: Status = None, startDate: FromDay = None, endDate: ToDay = None,
                                   updatedSince: Since = None) -> dict[str, Any]:
        wanted = entry_filter(status=status, start_date=startDate, end_date=endDate, updated_since=updatedSince)
        return listing(self.service, self.books(companyId).list_entries(), limit, cursor,
                       self.service.shapes.entry, wanted)

    async def run_report(self, companyId: CompanyId,
                         report: Annotated[str, WithJsonSchema({"type": "string", "enum": list(REPORTS)})],
                         asOf: Day = None, startDate: Day = None, endDate: Day = None,
                         accountId: Annotated[str | None, Field(max_length=100)] = None) -> dict[str, Any]:
        found = self.books(companyId)
        if report not in REPORTS:
            raise InvalidField("report", f"must be one of {', '.join(REPORTS)}")
        if report == "general_ledger":
            return reports.general_ledger(self.service, found, startDate, endDate, accountId)
        if REPORTS[report] == "range":
            return reports.profit_and_loss(self.service, found, startDate, endDate)
        return getattr(reports, report)(self.service, found, asOf)

    async def post_journal_entry(
            self, companyId: CompanyId,
            idempotencyKey: Annotated[Any, WithJsonSchema(
                {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7E]+$"})],
            date: Annotated[Any, contract_field("JournalEntryCreate", "date")],
            description: Annotated[Any, contract_field("JournalEntryCreate", "description")],
            lines: Annotated[Any, contract_field("JournalEntryCreate", "lines")],
            reference: Annotated[Any, contract_field("JournalEntryCreate", "reference")] = None,
    ) -> dict[str, Any]:
        if not isinstance(idempotencyKey, str) or not IDEMPOTENCY_KEY.fullmatch(idempotencyKey):
            raise InvalidField("idempotencyKey", "must be 1-255 visible ASCII characters")
        body = {"date": date, "description": description, "lines": lines}
        if reference is not None:
            body["reference"] = reference
        return await self.writes.post_journal_entry(self.service, caller=self.caller(), company_id=companyId,
                                                    body=body, idempotency_key=idempotencyKey)

    async def list_bank_transactions(self, companyId: CompanyId,
                                     bankAccountId: Annotated[str | None, Field(max_length=100)] = None,
                                     limit: Limit = 50, cursor: Cursor = None, status: Status = None,
                                     startDate: FromDay = None, endDate: ToDay = None,
                                     updatedSince: Since = None) -> dict[str, Any]:
        found = self.books(companyId)
        if bankAccountId is not None:
            found.get_bank_account(bankAccountId)          # NOT_FOUND when it is not this company's
        wanted = bank_transaction_filter(status=status, start_date=startDate, end_date=endDate,
                                         updated_since=updatedSince)
        return listing(self.service, found.list_bank_transactions(bank_account_id=bankAccountId),
                       limit, cursor, None, wanted)

    async def reclassify_bank_transaction(
            self, companyId: CompanyId, bankTransactionId: Annotated[str, Field(max_length=100)],
            accountId: Annotated[Any, contract_field("ReclassifyRequest", "accountId")],
            contactName: Annotated[Any, contract_field("ReclassifyRequest", "contactName")] = None,
            taxCode: Annotated[Any, contract_field("ReclassifyRequest", "taxCode")] = None,
            reason: Annotated[Any, contract_field("ReclassifyRequest", "reason")] = None,
    ) -> dict[str, Any]:
        sent = {"accountId": accountId, "contactName": contactName, "taxCode": taxCode, "reason": reason}
        body = {name: value for name, value in sent.items() if value is not None}
        return await self.writes.reclassify_bank_transaction(self.service, caller=self.caller(), company_id=companyId,
                                                             bank_transaction_id=bankTransactionId, body=body)


TOOLS = (
    ("list_companies", READ_ONLY, "The companies the token's firm manages (GET /api/v1/companies)."),
    ("list_accounts", READ_ONLY, "A company's chart of accounts with balances in cents."),
    ("list_journal_entries", READ_ONLY, "A company's journal entries (drafts, posted, voided) with lines."),
    ("run_report", READ_ONLY, "A report: profit_and_loss or general_ledger over startDate..endDate "
                              "(both inclusive), balance_sheet or trial_balance as of asOf; dates "
                              "default to today."),
    ("post_journal_entry", WRITES, "Post a balanced journal entry (R3) at once. idempotencyKey: a new "
                                   "key per entry; the same key and entry again replays the receipt "
                                   "(replayed: true) and posts nothing."),
    ("list_bank_transactions", READ_ONLY, "A company's bank transactions (Plaid feed rows and posting "
                                          "activity), optionally of one bank account."),
    ("reclassify_bank_transaction", WRITES, "Move a bank transaction's editable line to another "
                                            "category account (R7)."),
)


def register(server, service, writes: McpWrites) -> None:
    tools = LedgerTools(service, writes)
    for name, annotations, description in TOOLS:
        server.add_tool(as_tool_errors(getattr(tools, name)), name=name, description=description,
                        annotations=annotations, structured_output=True)


def request_id() -> str:
    """The X-Request-Id of the HTTP answer carrying this tool call (R4)."""
    found = context.current_request_id()
    return new_request_id() if found == "req_unknown" else found


def as_tool_errors(function):
    """A domain error becomes a tool error carrying the REST error body (same code, message)."""
    @functools.wraps(function)
    async def run(*args, **kwargs):
        try:
            return await function(*args, **kwargs)
        except DomainError as error:
            kind = error.kind if isinstance(error.kind, ErrorKind) else errors.INTERNAL_ERROR
            payload = errors.error_payload(kind, error.message, request_id(), error.details)
            return CallToolResult(content=[TextContent(type="text", text=json.dumps(payload))],
                                  structured_content=payload, is_error=True)
    return run
