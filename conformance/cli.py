"""`ledgerhq-conformance`: check an implementation of the partner API over HTTP."""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import TextIO

from conformance import baseline, selection
from conformance.config import DEFAULT_CONTRACT_PATH, PROFILES, RULE_NAMES, RunConfig
from conformance.runner import ERROR, FAIL, PASS, Outcome
from ledgerhq_contract.version import VERSION

EXIT_PASSED, EXIT_VIOLATIONS, EXIT_NOTHING_RAN, EXIT_COULD_NOT_START = 0, 1, 2, 3
REQUEST_TIMEOUT_S = 15.0
EXIT_CODES = """exit status:
  0  every check passed
  1  violations: at least one check failed
  2  usage error, or nothing ran (every check skipped)
  3  could not start: the server does not answer, the credential is refused, no company is reachable,
     or the sandbox did not start (one sentence says which, and what to pass)"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ledgerhq-conformance", description=__doc__, epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    parser.add_argument("--base-url",
                        help="implementation to check (default: a sandbox started on a free 127.0.0.1 port)")
    parser.add_argument("--token", help="Bearer credential of a firm (mcp_at_...); required with --base-url "
                                        "(default: the started sandbox's)")
    parser.add_argument("--company-id", help="company to test; default: the first of GET /api/v1/companies")
    parser.add_argument("--other-token", help="credential of another firm, for tenancy checks (default: the "
                                              "started sandbox's; none with --base-url: those checks skip)")
    parser.add_argument("--other-company-id",
                        help="a company of another firm, for tenancy checks (default: as --other-token)")
    parser.add_argument("--api-key", help="API key of one organization (dk_live_...), for the API-key checks "
                                          "(default: as --other-token)")
    parser.add_argument("--organization-id", help="the API key's organization, org_... (default: as --other-token)")
    parser.add_argument("--mcp-token", help="token for /api/mcp when it differs from --token, R10 (default: --token)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                        help="how many examples each check tries (default %(default)s)")
    parser.add_argument("--rules", default=",".join(RULE_NAMES),
                        help="comma-separated subset of the rules (default: all, %(default)s)")
    parser.add_argument("--seed", type=int, help="Hypothesis seed (default: random, printed)")
    parser.add_argument("--contract", type=Path, default=DEFAULT_CONTRACT_PATH,
                        help="openapi.json to check against (default: the packaged contract)")
    parser.add_argument("--report-dir", type=Path,
                        help="write junit.xml, report.json and report.html here (default: no report files)")
    parser.add_argument("--report", type=Path, help="deprecated (kept for one release): JUnit XML to this file; "
                                                    "use --report-dir (default: none)")
    parser.add_argument("--quiet", action="store_true",
                        help="print only failures, the table and the summary (default: every check as it runs)")
    parser.add_argument("--request-timeout", type=float, default=REQUEST_TIMEOUT_S, metavar="SECONDS",
                        help=f"time-out of each request (default {REQUEST_TIMEOUT_S:.0f})")
    parser.add_argument("--ca-bundle", type=Path, help="CA certificates (PEM) to verify the server with; "
                                                       "HTTPS_PROXY, NO_PROXY and SSL_CERT_FILE are honoured too "
                                                       "(default: the system's)")
    selection.add_arguments(parser)
    baseline.add_arguments(parser)
    return parser


def registered_names() -> list[str]:
    from conformance.registry import build_registry
    return [check.name for check in build_registry().checks]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    rules = tuple(name.strip() for name in args.rules.split(",") if name.strip())
    unknown = [name for name in rules if name not in RULE_NAMES]
    if unknown or not rules:
        parser.error(f"unknown rules {unknown}; choose from {', '.join(RULE_NAMES)}")
    args.rules = rules
    named = selection.from_args(args)
    unknown_checks = selection.unknown_checks(named, registered_names()) if named[selection.CHECKS] else []
    if unknown_checks:
        parser.error(f"--check: no check named {', '.join(unknown_checks)} (the table's check column names them)")
    if args.base_url and not args.token:
        parser.error("--token is required with --base-url")
    if args.contract != DEFAULT_CONTRACT_PATH and not args.contract.is_file():
        parser.error(f"--contract {args.contract}: no such file")
    if args.ca_bundle and not args.ca_bundle.is_file():
        parser.error(f"--ca-bundle {args.ca_bundle}: no such file")
    if args.request_timeout <= 0:
        parser.error("--request-timeout must be more than 0 seconds")
    return args


def config_from(args: argparse.Namespace, base_url: str, credentials: dict) -> RunConfig:
    return RunConfig(
        base_url=base_url, token=args.token or credentials.get("accessToken"),
        company_id=args.company_id or credentials.get("companyId"),
        other_token=args.other_token or credentials.get("otherFirmAccessToken"),
        other_company_id=args.other_company_id or credentials.get("otherCompanyId"),
        api_key=args.api_key or credentials.get("apiKey"),
        organization_id=args.organization_id or credentials.get("organizationId"), mcp_token=args.mcp_token,
        profile=PROFILES[args.profile], rules=args.rules,
        seed=args.seed if args.seed is not None else random.SystemRandom().randrange(2**32),
        contract_path=args.contract, request_timeout_s=args.request_timeout,
        extra={**selection.from_args(args), **baseline.from_args(args)})


def exit_status(outcomes: list[Outcome]) -> int:
    if any(o.status in (FAIL, ERROR) for o in outcomes):
        return EXIT_VIOLATIONS
    if not any(o.status == PASS for o in outcomes):
        return EXIT_NOTHING_RAN
    return EXIT_PASSED


def use_ca_bundle(path: Path | None) -> None:
    """httpx (trust_env) reads SSL_CERT_FILE; Schemathesis' requests reads REQUESTS_CA_BUNDLE."""
    if path:
        os.environ["SSL_CERT_FILE"] = os.environ["REQUESTS_CA_BUNDLE"] = str(path.resolve())


def check_and_run(args: argparse.Namespace, config: RunConfig, out: TextIO) -> int:
    from conformance.main import run_and_report
    from conformance.preflight import preflight
    from conformance.progress import progress_for
    from conformance.redact import Redactor, secrets_of
    problem = preflight(config)
    if problem:
        print(problem, file=out, flush=True)
        return EXIT_COULD_NOT_START
    progress = progress_for(out, args.quiet, Redactor(secrets_of(config)))
    return run_and_report(config, out, report=args.report, report_dir=args.report_dir, quiet=args.quiet,
                          progress=progress)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["diff"]:            # `ledgerhq-conformance diff OLD [NEW]`: conformance/diff/cli.py
        from conformance.diff.cli import main as diff_main
        return diff_main(argv[1:], out)
    args = parse_args(argv)
    use_ca_bundle(args.ca_bundle)
    if args.base_url:
        return check_and_run(args, config_from(args, args.base_url, {}), out)
    from conformance.sandbox import Sandbox
    started = time.monotonic()
    print("Starting a sandbox on a free 127.0.0.1 port ...", file=out, flush=True)
    try:
        sandbox = Sandbox().__enter__()
    except (RuntimeError, OSError, ValueError) as error:
        print(f"The sandbox did not start ({str(error).splitlines()[0]}); run `ledgerhq-sandbox serve` to see why, "
              "or pass --base-url and --token.", file=out)
        return EXIT_COULD_NOT_START
    try:
        print(f"Sandbox at {sandbox.base_url} (ready in {time.monotonic() - started:.1f}s)", file=out, flush=True)
        return check_and_run(args, config_from(args, sandbox.base_url, sandbox.credentials), out)
    finally:
        sandbox.__exit__(None, None, None)


if __name__ == "__main__":
    sys.exit(main())
