"""`make screenshots`: retake the README's two pictures in headless chromium (tools/browser.py).

    python -m tools.screenshots [--out docs] [--seed 4]

1. docs/docs-page.png: the sandbox's API docs (`/api/docs`, Swagger UI) with one "Try it out"
   call of listCompanies answered;
2. docs/report-screenshot.png: the conformance kit's HTML report (`--report-dir`) of a fresh quick
   run against a server that sends money as floats (the `money_as_floats` fault), so the report
   shows a root cause.

Both servers are fresh sandboxes on free 127.0.0.1 ports, served by one process (faults/serve.py);
the browser reaches 127.0.0.1 and local files only.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from faults.serve import FaultServers
from mock_server.cli import well_known_credentials
from tools.browser import chromium_missing, local_browser

CLEAN, FAULT = "none", "money_as_floats"
RENDER_WAIT_MS = 30_000
RUN_TIMEOUT_S = 600
DOCS_VIEWPORT = {"width": 1280, "height": 1750}
REPORT_CLIP = {"x": 0, "y": 0, "width": 1280, "height": 1600}


def shoot_docs(browser, base_url: str, path: Path) -> None:
    """The docs page scrolled to its operations, listCompanies tried out and answered."""
    page = browser.new_page()
    page.set_viewport_size(DOCS_VIEWPORT)
    page.goto(f"{base_url}/api/docs")
    page.wait_for_selector(".opblock", timeout=RENDER_WAIT_MS)
    block = "#operations-companies-listCompanies"
    page.click(f"{block} .opblock-summary")
    page.click(f"{block} .try-out__btn")
    page.click(f"{block} .execute")
    page.wait_for_selector(f"{block} .live-responses-table tbody .response-col_status", timeout=RENDER_WAIT_MS)
    page.evaluate("document.querySelector('.scheme-container').scrollIntoView()")
    page.screenshot(path=str(path))
    page.close()


def fresh_report(base_url: str, credentials: dict, seed: int, report_dir: Path) -> Path:
    """report.html of a quick run of the kit against `base_url` (exit 1 expected: the fault)."""
    command = [sys.executable, "-m", "conformance.cli", "--base-url", base_url,
               "--token", credentials["accessToken"], "--company-id", credentials["companyId"],
               "--other-token", credentials["otherFirmAccessToken"],
               "--other-company-id", credentials["otherCompanyId"], "--api-key", credentials["apiKey"],
               "--organization-id", credentials["organizationId"], "--profile", "quick",
               "--seed", str(seed), "--report-dir", str(report_dir), "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    if done.returncode not in (0, 1) or not (report_dir / "report.html").is_file():
        raise SystemExit(f"the conformance run failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return report_dir / "report.html"


def shoot_report(browser, report: Path, path: Path) -> None:
    page = browser.new_page()
    page.set_viewport_size({"width": REPORT_CLIP["width"], "height": REPORT_CLIP["height"]})
    page.goto(report.resolve().as_uri())
    page.screenshot(path=str(path), clip=REPORT_CLIP)
    page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Retake docs/docs-page.png and docs/report-screenshot.png.")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="directory of the pictures (default docs)")
    parser.add_argument("--seed", type=int, default=4, help="seed of the conformance run (default 4)")
    args = parser.parse_args(argv)
    reason = chromium_missing()
    if reason:
        raise SystemExit(f"no headless browser: {reason}")
    credentials = well_known_credentials(None)
    with FaultServers([CLEAN, FAULT], credentials["accessToken"]) as servers, \
            tempfile.TemporaryDirectory(prefix="ledgerhq-report-") as report_dir:
        report = fresh_report(servers.base_url[FAULT], credentials, args.seed, Path(report_dir))
        with local_browser() as browser:
            shoot_docs(browser, servers.base_url[CLEAN], args.out / "docs-page.png")
            shoot_report(browser, report, args.out / "report-screenshot.png")
        if browser.foreign:
            raise SystemExit(f"the pages asked other hosts: {browser.foreign}")
    print(f"wrote {args.out / 'docs-page.png'} and {args.out / 'report-screenshot.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
