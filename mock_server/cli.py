"""The console script `ledgerhq-sandbox`.

    ledgerhq-sandbox serve [--host 127.0.0.1] [--port 8080] [--fixtures PATH] [--public-url URL]
                           [--webhook-retry-base-seconds 1.0] [--webhook-hosts HOST,HOST]
                           [--admin-key KEY] [--state PATH] [--cors-origins ORIGIN,ORIGIN]
                           [--log-level warning] [--log-format text|json] [--log-health]
    ledgerhq-sandbox credentials [--json] [--fixtures PATH] [--admin-key KEY]

The admin key (header X-Admin-Key) is what the sandbox controls that act on every firm at
once take: --admin-key, else LEDGERHQ_SANDBOX_ADMIN_KEY, else `serve` makes one up and
prints it; `credentials` lists it when it is set. With --state the sandbox keeps its state
in that SQLite file and resumes from it on the next start. Bad input ends in one sentence on
stderr and exit status 1 (2 for usage errors), never a traceback; the banner prints once the
port is bound and the app has started.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

from ledgerhq_contract.version import VERSION

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_CORS_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")    # as middleware/cors.py
TRACEBACK_ENV = "LEDGERHQ_SANDBOX_TRACEBACK"
FIXTURE_ISSUES_SHOWN = 3
ADMIN_KEY_ENV = "LEDGERHQ_SANDBOX_ADMIN_KEY"      # as mock_server.control_scope reads it
ADMIN_KEY_HELP = (f"the admin key for controls that act on every firm (default: ${ADMIN_KEY_ENV}, "
                  "else a new one, printed at start-up)")


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")     # uvicorn's
LOG_FORMATS = ("text", "json")                                             # as middleware/request_log.py
FIXTURES_HELP = "fixture file, YAML or JSON (default: the packaged fixtures/default.yaml)"


class OneLineParser(argparse.ArgumentParser):
    """Usage errors in one sentence on stderr, exit status 2 (the usage is in --help)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}; see {self.prog} --help\n")


def existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def port_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="ledgerhq-sandbox", description="A stateful sandbox of the LedgerHQ partner API.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{serve,credentials}")
    serve = commands.add_parser("serve", help="serve the sandbox over HTTP, in the foreground (Ctrl+C stops it)",
                                description="Serve the sandbox over HTTP in the foreground; Ctrl+C stops it.")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)")
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="port to listen on (default %(default)s)")
    serve.add_argument("--fixtures", type=existing_file, default=None, help=FIXTURES_HELP)
    serve.add_argument("--log-level", choices=LOG_LEVELS, default="warning", metavar="LEVEL",
                       help=f"server messages shown, one of {', '.join(LOG_LEVELS)} (default %(default)s)")
    serve.add_argument("--log-format", choices=LOG_FORMATS, default="text",
                       help="the request log on stderr, one line per request (default %(default)s)")
    serve.add_argument("--log-health", action="store_true",
                       help="log health checks (/api/health) too (default: left out)")
    serve.add_argument("--public-url", default=None,
                       help="origin partners reach the sandbox at: the OAuth issuer and the MCP and REST "
                            "resources (default http://HOST:PORT)")
    serve.add_argument("--validate-responses", choices=("off", "warn", "strict"), default="off",
                       help="check every response against the contract: warn logs drift with the request id, "
                            "strict answers it as 500 INTERNAL_ERROR naming the drift (default: off)")
    serve.add_argument("--state", type=Path, default=None,
                       help="keep the state in this SQLite file: every acknowledged write is in it, "
                            "a restart resumes from it (default: in memory only)")
    serve.add_argument("--webhook-retry-base-seconds", type=float, default=1.0, metavar="SECONDS",
                       help="webhook retries wait 1, 2, 4, 8, 16 x this (default %(default)s)")
    serve.add_argument("--webhook-hosts", default=None,
                       help="comma-separated hosts webhooks may be delivered to (default: any host)")
    serve.add_argument("--admin-key", default=None, help=ADMIN_KEY_HELP)
    serve.add_argument("--cors-origins", default=",".join(DEFAULT_CORS_ORIGINS),
                       help="comma-separated browser origins granted CORS, ':*' for any port, '*' for every "
                            "origin (default %(default)s)")
    credentials = commands.add_parser("credentials", help="print the well-known sandbox credentials",
                                      description="Print the well-known sandbox credentials.")
    credentials.add_argument("--json", action="store_true", help="print them as one JSON object (default: "
                                                                 "one 'name: value' line each)")
    credentials.add_argument("--fixtures", type=existing_file, default=None, help=FIXTURES_HELP)
    credentials.add_argument("--admin-key", default=None, help=ADMIN_KEY_HELP)
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def well_known_credentials(fixtures_path: Path | None, admin_key: str | None = None) -> dict:
    """The fixtures' credentials, and `adminKey` (None unless given or in the environment:
    a key `serve` makes up is known to that process only)."""
    from mock_server.fixture_credentials import well_known_credentials as from_sandbox
    from mock_server.ledger import fixtures
    from mock_server.clock import Clock
    sandbox = fixtures.load_sandbox_file(fixtures_path or fixtures.DEFAULT_FIXTURE_PATH,
                                         now=Clock().now())
    return {**from_sandbox(sandbox), "adminKey": admin_key or os.environ.get(ADMIN_KEY_ENV) or None}


def public_url_of(args: argparse.Namespace) -> str:
    """The origin partners reach: `--public-url` (scheme and host only), else http://HOST:PORT."""
    if args.public_url is None:
        return f"http://{args.host}:{args.port}"
    parts = urlsplit(args.public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise SystemExit("--public-url must be an origin such as https://sandbox.example.com")
    return args.public_url.rstrip("/")


def print_banner(base_url: str, credentials: dict[str, str]) -> None:
    lines = [
        f"LedgerHQ sandbox on {base_url}",
        f"  health:            curl {base_url}/api/health",
        f"  access token:      {credentials['accessToken']}",
        f"  API key:           {credentials['apiKey']} (x-organization-id: {credentials['organizationId']})",
        f"  company:           {credentials['companyId']}",
        f"  other firm token:  {credentials['otherFirmAccessToken']} (company {credentials['otherCompanyId']})",
        f"  OAuth client:      {credentials['oauthClientId']} -> {credentials['redirectUri']}",
        f"  admin key:         {credentials['adminKey']} (header X-Admin-Key: resets and loads every firm)",
        f"  try:               curl -H 'Authorization: Bearer {credentials['accessToken']}' "
        f"{base_url}/api/v1/companies",
    ]
    print("\n".join(lines), flush=True)


def make_service(args: argparse.Namespace, public_url: str):
    from mock_server.service import SandboxService
    options = {"admin_key": args.admin_key, "webhook_retry_base_s": args.webhook_retry_base_seconds,
               "webhook_hosts": args.webhook_hosts, "public_url": public_url}
    try:
        if args.state is not None:
            from mock_server.service.durable import open_service
            return open_service(args.state, args.fixtures, **options)
        return SandboxService.from_fixtures(args.fixtures, **options)
    except ValueError as error:
        raise SystemExit(str(error)) from None


def serve(args: argparse.Namespace) -> int:
    from mock_server.app import create_app
    from mock_server.fixture_credentials import well_known_credentials as from_sandbox
    from mock_server.middleware.cors import parse_origins
    from mock_server.middleware.request_log import configure_request_log
    from mock_server.serving import serve_app
    if args.webhook_retry_base_seconds < 0:
        raise SystemExit("--webhook-retry-base-seconds must be >= 0")
    public_url = public_url_of(args)
    try:
        cors_origins = parse_origins(args.cors_origins)
    except ValueError as error:
        raise SystemExit(str(error)) from None
    service = make_service(args, public_url)
    app = create_app(args.fixtures, service=service, validate_responses=args.validate_responses,
                     cors_origins=cors_origins, log_health=args.log_health)
    configure_request_log(args.log_format)

    def announce() -> None:
        credentials = (json.loads(service.journal.meta("credentials")) if args.state is not None
                       else from_sandbox(service.data))   # a kept state is restored once serving
        print_banner(f"http://{args.host}:{args.port}", {**credentials, "adminKey": service.admin_key})
        print(f"  API docs:          {public_url}/api/docs (Swagger UI, the access token pre-authorized)\n"
              f"  MCP server:        {public_url}/api/mcp (OAuth access tokens only)", flush=True)

    serve_app(app, args.host, args.port, args.log_level, announce)
    return 0


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    args = parse_args(argv)
    from mock_server.ledger.errors import FixtureError
    try:
        return run(args)
    except FixtureError as error:
        issues = "; ".join(" ".join(issue.split()) for issue in error.issues[:FIXTURE_ISSUES_SHOWN])
        more = len(error.issues) - FIXTURE_ISSUES_SHOWN
        raise SystemExit(f"ledgerhq-sandbox: the fixture file is invalid: {issues}"
                         + (f" (and {more} more)" if more > 0 else "")) from None
    except (OSError, ValueError) as error:         # the last resort: one sentence, never a traceback
        if os.environ.get(TRACEBACK_ENV):
            raise
        raise SystemExit(f"ledgerhq-sandbox: {' '.join(str(error).split())} "
                         f"(set {TRACEBACK_ENV}=1 for the traceback)") from None


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return serve(args)
    credentials = well_known_credentials(args.fixtures, args.admin_key)
    if args.json:
        print(json.dumps(credentials, indent=2))
    else:
        for key, value in credentials.items():
            print(f"{key}: {value or '(made up by serve at start-up; fix it with --admin-key or ' + ADMIN_KEY_ENV + ')'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
