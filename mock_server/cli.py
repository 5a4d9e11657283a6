"""The console script `ledgerhq-sandbox`.

    ledgerhq-sandbox serve [--host 127.0.0.1] [--port 8080] [--fixtures PATH] [--public-url URL]
                           [--webhook-retry-base-seconds 1.0] [--webhook-hosts HOST,HOST]
                           [--admin-key KEY]
    ledgerhq-sandbox credentials [--json] [--fixtures PATH] [--admin-key KEY]

The admin key (header X-Admin-Key) is what the sandbox controls that act on every firm at
once take: --admin-key, else LEDGERHQ_SANDBOX_ADMIN_KEY, else `serve` makes one up and
prints it; `credentials` lists it when it is set.
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
ADMIN_KEY_ENV = "LEDGERHQ_SANDBOX_ADMIN_KEY"      # as mock_server.control_scope reads it
ADMIN_KEY_HELP = (f"the admin key for controls that act on every firm (default: ${ADMIN_KEY_ENV}, "
                  "else a new one, printed at start-up)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledgerhq-sandbox",
                                     description="A stateful sandbox of the LedgerHQ partner API.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the sandbox over HTTP")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--fixtures", type=Path, default=None, help="fixture YAML (default: fixtures/default.yaml)")
    serve.add_argument("--log-level", default="warning")
    serve.add_argument("--public-url", default=None,
                       help="origin partners reach the sandbox at: the OAuth issuer and the MCP and REST "
                            "resources (default http://HOST:PORT)")
    serve.add_argument("--webhook-retry-base-seconds", type=float, default=1.0,
                       help="webhook retries wait 1, 2, 4, 8, 16 x this (default 1.0)")
    serve.add_argument("--webhook-hosts", default=None,
                       help="comma-separated hosts webhooks may be delivered to (default: any host)")
    serve.add_argument("--admin-key", default=None, help=ADMIN_KEY_HELP)
    serve.add_argument("--cors-origins", default=",".join(DEFAULT_CORS_ORIGINS),
                       help="comma-separated browser origins granted CORS, ':*' for any port, '*' for every "
                            "origin (default %(default)s)")
    credentials = commands.add_parser("credentials", help="print the well-known sandbox credentials")
    credentials.add_argument("--json", action="store_true", help="print them as one JSON object")
    credentials.add_argument("--fixtures", type=Path, default=None)
    credentials.add_argument("--admin-key", default=None, help=ADMIN_KEY_HELP)
    return parser.parse_args(argv)


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


def serve(args: argparse.Namespace) -> int:
    import uvicorn
    from mock_server.app import create_app
    from mock_server.fixture_credentials import well_known_credentials as from_sandbox

    from mock_server.service import SandboxService
    if args.webhook_retry_base_seconds < 0:
        raise SystemExit("--webhook-retry-base-seconds must be >= 0")
    public_url = public_url_of(args)
    try:
        service = SandboxService.from_fixtures(args.fixtures, admin_key=args.admin_key,
                                               webhook_retry_base_s=args.webhook_retry_base_seconds,
                                               webhook_hosts=args.webhook_hosts, public_url=public_url)
    except ValueError as error:
        raise SystemExit(str(error)) from None
    from mock_server.middleware.cors import parse_origins
    try:
        cors_origins = parse_origins(args.cors_origins)
    except ValueError as error:
        raise SystemExit(str(error)) from None
    app = create_app(args.fixtures, service=service, cors_origins=cors_origins)
    print_banner(f"http://{args.host}:{args.port}", {**from_sandbox(service.data), "adminKey": service.admin_key})
    print(f"  MCP server:        {public_url}/api/mcp (OAuth access tokens only)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                access_log=False, lifespan="on")
    return 0


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    args = parse_args(argv)
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
