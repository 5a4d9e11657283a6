"""Debian's headless chromium, driven by Playwright, that reaches 127.0.0.1 only.

Used by tests/desk/test_docs_page.py and `python -m tools.screenshots`. The browser is
/usr/bin/chromium (never a browser Playwright downloads): when it is missing and this runs as
root, `apt-get install -y chromium` installs it. It starts with a fresh profile and its
background networking off (no component updates, sync, QUIC or first-run pings), and every
request a page makes to a host other than 127.0.0.1 (local files aside) is refused and recorded
in `foreign`.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urlsplit

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
APT_INSTALL_TIMEOUT_S = 900
LOCAL_HOST = "127.0.0.1"
VIEWPORT = {"width": 1280, "height": 900}


def chromium_missing() -> str | None:
    """None when chromium can run (installed with apt first when missing, as root); else why not."""
    if os.access(CHROMIUM_PATH, os.X_OK):
        return None
    if os.geteuid() != 0:
        return f"{CHROMIUM_PATH} is missing and installing it needs root: run `apt-get install -y chromium`"
    try:
        done = subprocess.run(["apt-get", "install", "-y", "chromium"], capture_output=True, text=True,
                              timeout=APT_INSTALL_TIMEOUT_S, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{CHROMIUM_PATH} is missing and `apt-get install -y chromium` failed: {error}"
    if done.returncode != 0 or not os.access(CHROMIUM_PATH, os.X_OK):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"{CHROMIUM_PATH} is missing and `apt-get install -y chromium` failed (exit {done.returncode}): {last}"
    return None


@dataclass
class LocalBrowser:
    context: object                                     # playwright.sync_api.BrowserContext
    foreign: list[str] = field(default_factory=list)    # requests refused: their host is not 127.0.0.1
    console_errors: list[str] = field(default_factory=list)

    def new_page(self):
        page = self.context.new_page()
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        return page


@contextmanager
def local_browser() -> Iterator[LocalBrowser]:
    """One headless chromium with a fresh profile; closed (and its profile removed) on exit."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="ledgerhq-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM_PATH, args=list(CHROMIUM_ARGS), headless=True, viewport=VIEWPORT)
        browser = LocalBrowser(context)

        def only_local(route) -> None:
            url = urlsplit(route.request.url)
            if url.hostname == LOCAL_HOST or url.scheme == "file":       # a report opened from disk
                route.continue_()
            else:
                browser.foreign.append(route.request.url)
                route.abort("blockedbyclient")

        context.route("**/*", only_local)
        try:
            yield browser
        finally:
            context.close()
