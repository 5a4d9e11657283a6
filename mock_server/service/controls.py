"""Whose data a sandbox control changes (mixed into SandboxService): the caller's firm, or,
with the admin key, every firm. See mock_server/control_scope.py for the rules."""

from __future__ import annotations

from mock_server import control_scope
from mock_server.ledger.errors import BooksReplaced


class Controls:
    """Mixed into SandboxService: reads `admin_key`, `data`, `directory`, `webhooks`, `faults`."""

    def admin_caller(self, presented: str | None):
        """The admin caller when `presented` is the sandbox's admin key; None (401) otherwise."""
        return control_scope.admin_caller(self.admin_key, presented)

    def firm_of(self, caller) -> str | None:
        """The firm a sandbox control acts on; None for the admin key. Raises NoFirm (403)."""
        return control_scope.firm_of(caller, self.directory)

    def request_firm(self, caller) -> str | None:
        """The firm whose forced faults a partner request takes (None: only every firm's)."""
        if caller is None:
            return None
        try:
            return self.firm_of(caller)
        except control_scope.NoFirm:
            return None

    def replace_companies(self, firm_id: str, company_ids: list[str], incoming) -> None:
        """Put `incoming`'s books of these companies of `firm_id` in place, and drop what
        belonged to the books replaced: stored idempotency keys, webhooks, the firm's faults."""
        control_scope.swap_books(self.data, incoming, company_ids)
        self.data.idempotency.forget_companies(frozenset(company_ids))
        for company_id in company_ids:
            for subscription in self.webhooks.list(company_id):
                self.webhooks.delete(company_id, subscription.id)
        self.faults.clear(firm_id)

    def scoped_companies(self, firm_id: str | None) -> list:
        """The books a summary counts: the firm's companies, or every company."""
        if firm_id is None:
            return list(self.data.companies.values())
        return [self.data.companies[company_id]
                for company_id in control_scope.firm_company_ids(self.directory, firm_id)]

    def check_books_still_live(self, company_id: str | None, books) -> None:
        """After an await inside a write: refuse it if a reset or fixture load replaced the
        company's books meanwhile (its answer would name an entry that is gone)."""
        if company_id is not None and self.data.companies.get(company_id) is not books:
            raise BooksReplaced(company_id)
