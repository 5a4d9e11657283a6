"""`ledgerhq-conformance`: check an implementation of the partner API over HTTP."""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import TextIO

from conformance.config import DEFAULT_CONTRACT_PATH, PROFILES, RULE_NAMES, RunConfig
from conformance.runner import ERROR, FAIL, PASS, Outcome

EXIT_PASSED, EXIT_VIOLATIONS, EXIT_NOTHING_RAN, EXIT_USAGE = 0, 1, 2, 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledgerhq-conformance", description=__doc__)
    parser.add_argument("--base-url", help="implementation to check; without it a sandbox is started")
    parser.add_argument("--token", help="Bearer credential of a firm (mcp_at_...)")
    parser.add_argument("--company-id", help="company to test; default: the first of GET /api/v1/companies")
    parser.add_argument("--other-token", help="credential of another firm, for tenancy checks")
    parser.add_argument("--other-company-id", help="a company of another firm, for tenancy checks")
    parser.add_argument("--api-key", help="API key of one organization (dk_live_...), for the API-key checks")
    parser.add_argument("--organization-id", help="the API key's organization (org_...)")
    parser.add_argument("--mcp-token", help="token for /api/mcp when it differs from --token (R10)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--rules", default=",".join(RULE_NAMES),
                        help=f"comma-separated subset of {','.join(RULE_NAMES)}")
    parser.add_argument("--report", type=Path, help="write JUnit XML here")
    parser.add_argument("--seed", type=int, help="Hypothesis seed (default: random, printed)")
    parser.add_argument("--contract", type=Path, default=DEFAULT_CONTRACT_PATH, help="openapi.json to check against")
    return parser.parse_args(argv)


def selected_rules(text: str) -> tuple[str, ...]:
    rules = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in rules if name not in RULE_NAMES]
    if unknown or not rules:
        raise SystemExit(f"unknown rules {unknown}; choose from {', '.join(RULE_NAMES)}")
    return rules


def config_from(args: argparse.Namespace, base_url: str, credentials: dict) -> RunConfig:
    token = args.token or credentials.get("accessToken")
    if not token:
        raise SystemExit("--token is required with --base-url")
    return RunConfig(
        base_url=base_url, token=token, company_id=args.company_id or credentials.get("companyId"),
        other_token=args.other_token or credentials.get("otherFirmAccessToken"),
        other_company_id=args.other_company_id or credentials.get("otherCompanyId"),
        api_key=args.api_key or credentials.get("apiKey"),
        organization_id=args.organization_id or credentials.get("organizationId"), mcp_token=args.mcp_token,
        profile=PROFILES[args.profile], rules=selected_rules(args.rules),
        seed=args.seed if args.seed is not None else random.SystemRandom().randrange(2**32),
        contract_path=args.contract)


def exit_status(outcomes: list[Outcome]) -> int:
    if any(o.status in (FAIL, ERROR) for o in outcomes):
        return EXIT_VIOLATIONS
    if not any(o.status == PASS for o in outcomes):
        return EXIT_NOTHING_RAN
    return EXIT_PASSED


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["diff"]:            # `ledgerhq-conformance diff OLD [NEW]`: conformance/diff/cli.py
        from conformance.diff.cli import main as diff_main
        return diff_main(argv[1:], out)
    from conformance.main import run_and_report
    args = parse_args(argv)
    if args.base_url:
        return run_and_report(config_from(args, args.base_url, {}), args.report, out)
    from conformance.sandbox import Sandbox
    started = time.monotonic()
    print("Starting a sandbox on a free 127.0.0.1 port ...", file=out, flush=True)
    with Sandbox() as sandbox:
        print(f"Sandbox at {sandbox.base_url} (ready in {time.monotonic() - started:.1f}s)", file=out, flush=True)
        return run_and_report(config_from(args, sandbox.base_url, sandbox.credentials), args.report, out)


if __name__ == "__main__":
    sys.exit(main())
