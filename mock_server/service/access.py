"""Who may see what (R5): credentials, sessions and the caller's books, for the service."""

from __future__ import annotations

from mock_server.auth import tenancy
from mock_server.auth.session import SESSION_COOKIE
from mock_server.auth.credentials import bearer_token
from mock_server.ledger.errors import NotFound, Unprocessable

SESSION_TTL_S = 24 * 3600


class Access:
    """Mixed into SandboxService: reads `data`, `credentials`, `directory` and `clock`."""

    def authenticate(self, authorization: str | None, cookie: str | None):
        token = bearer_token(authorization)
        if token is not None:
            return self.credentials.resolve_bearer(token, self.credential_now_s(token))
        session_id = cookie_value(cookie, SESSION_COOKIE)
        if session_id is not None:
            return self.credentials.resolve_cookie(session_id, self.credential_now_s(session_id))
        return None

    def credential_now_s(self, value: str) -> float:
        """Unix seconds by the sandbox clock of the token's or session's firm (expiry)."""
        return self.clock.unix_s(self.credentials.firm_of_credential(value))

    def sign_in(self, email: str | None):
        """A new browser session for the fixture user with this email (default: the owner
        of the first firm). Returns (session, user); an unknown email is 422 UNPROCESSABLE."""
        user = self._user_by_email(email) if email else self._first_firm_owner()
        if user is None:
            raise Unprocessable(f"No fixture user has the email {email[:254]!r}; sign in as one "
                                "of the users in the fixtures.", field="email", issue="unknown user")
        return self.credentials.add_session(user.id, self.clock.unix_s(user.firm_id), SESSION_TTL_S), user

    def _user_by_email(self, email: str):
        wanted = email.strip().lower()
        return next((user for user in self.data.users.values()
                     if user.email.lower() == wanted), None)

    def _first_firm_owner(self):
        for firm_id in self.data.firms:
            owner = next((u for u in self.data.users.values() if u.firm_id == firm_id), None)
            if owner is not None:
                return owner
        return next(iter(self.data.users.values()), None)

    def visible_books(self, caller) -> list:
        return [self.data.companies[company_id]
                for company_id in tenancy.companies_visible_to(caller, self.directory)]

    def visible_organizations(self, caller) -> list:
        return [self.data.organizations[books.company.organization_id]
                for books in self.visible_books(caller)]

    def books_for_company(self, caller, company_id: str):
        return self.data.companies[tenancy.resolve_company_from_path(caller, company_id, self.directory)]

    def books_for_organization(self, caller, organization_id: str | None):
        company_id = tenancy.resolve_company_from_header(caller, organization_id, self.directory)
        return self.data.companies[company_id]

    def books_for_bank_account(self, caller, bank_account_id: str):
        """The caller's company that holds this bank account (404 otherwise)."""
        return self._books_holding(caller, "bank account", bank_account_id,
                                   lambda books: books.get_bank_account(bank_account_id))

    def books_for_feed(self, caller, feed_id: str):
        return self._books_holding(caller, "bank feed", feed_id, lambda books: books.get_feed(feed_id))

    def _books_holding(self, caller, resource: str, resource_id: str, lookup):
        for books in self.visible_books(caller):
            try:
                lookup(books)
            except NotFound:
                continue
            return books
        raise NotFound(resource, resource_id)


def cookie_value(cookie_header: str | None, name: str) -> str | None:
    if not cookie_header:
        return None
    for part in cookie_header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None
