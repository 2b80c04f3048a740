"""What every real-browser test shares: where Debian's Chromium and the built front end are, how Chromium is
started, and the CI rule for missing pieces (fail under ``CI=true``, skip with the reason elsewhere).

The ``chromium`` fixture in the root ``conftest.py`` uses this; a test asks for it and opens its own contexts.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[4]
CHROMIUM = Path(os.environ.get("HARMONIE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUILT_CSS = REPO_ROOT / "build" / "static" / "harmonie" / "harmonie.css"
BPMN_VIEWER = REPO_ROOT / "build" / "static" / "vendor" / "bpmn-js" / "bpmn-viewer.production.min.js"
ARTIFACTS = REPO_ROOT / "test-artifacts"
PASSWORD = "Browser-test-2026!"


def require_file(path: Path, hint: str):
    if not path.exists():
        message = f"{path} ontbreekt: {hint}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def launched_chromium():
    """Headless Debian Chromium through Playwright (its own browser download does not work on these machines)."""
    require_file(CHROMIUM, "installeer Chromium met 'apt-get install -y chromium'")
    require_file(BUILT_CSS, "draai 'npm ci && npm run build'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """The serious and critical axe-core violations on the page. The page's CSP forbids inline scripts, so
    add_script_tag would be refused (and show up as a CSP violation); evaluating the file through the DevTools
    protocol is not governed by CSP."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


class Checker:
    """Collects what the browser reports and runs axe on each page."""

    def __init__(self, page):
        self.page = page
        self.console = []
        self.csp_violations = []
        self.scanned = []
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))
        self.failed = []
        self.htmx_requests = []
        page.on("request", lambda r: self.htmx_requests.append(r.url) if r.headers.get("hx-request") else None)
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def axe(self, label):
        self.page.wait_for_load_state("load")
        bad = axe_violations(self.page)
        assert not bad, f"axe op {label} ({self.page.url}): {bad}"
        self.scanned.append(label)
        return bad

    def csp_header_ok(self, response):
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp

    def shot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
