"""The run viewer in a real browser: Debian's chromium (apt, `make install`) driven by
Playwright, against a real `proofroute serve` process on 127.0.0.1 with keys, the real
Dafny, and the demo's recorded model session served from `--replay-dir`.

The browser enters a key, submits a spec through the form (its description is an XSS
payload), watches the job reach `verified` on the live page, and the test checks what
the page shows; the screenshot is kept in the test's tmp dir.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from verifier.service.store import Store

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "verifier" / "demo"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">"
SPEC = (DEMO / "specs" / "max_of_list.toml").read_text("utf-8").replace(
    'description = "The largest element of a non-empty list of integers."', f"description = '{XSS}'")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(tmp_path: Path, db: str) -> Iterator[str]:
    """`proofroute serve` as its own process. Its data folder stays the user's: the
    toolchains (z3, bignumber.js) live there; its scratch is per port and cleaned on start."""
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "verifier", "serve", "--port", str(port), "--db", db,
                                "--workers", "1", "--replay-dir", str(DEMO / "sessions"), "--shutdown-seconds", "5"],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            try:
                if httpx.get(f"{url}/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()


@contextmanager
def chromium(tmp_path: Path) -> Iterator[BrowserContext]:
    """Debian's chromium with a new, empty profile; Playwright's own browsers are never used."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is not installed: apt-get install chromium (make install does)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()


def enter_key(page: Page, url: str, token: str) -> None:
    page.goto(f"{url}/ui")
    page.fill("#key-form input[name=key]", token)
    page.click("#key-form button[type=submit]")
    page.wait_for_selector("#submit-form")


@pytest.mark.dafny
@pytest.mark.slow
def test_a_browser_submits_a_spec_and_watches_it_verify(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    store = Store(db)
    _, mine = store.create_key("browser")
    _, theirs = store.create_key("someone-else")
    store.close()
    with serve(tmp_path, db) as url, chromium(tmp_path) as context:
        other = httpx.post(f"{url}/v1/jobs", headers={"Authorization": f"Bearer {theirs}"},
                           json={"kind": "spec-check", "spec": 'name = "theirs"\n'}).json()["id"]
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{url}/ui")
        assert page.inner_text("h1") == "An API key is needed"
        enter_key(page, url, mine)
        assert other not in page.content()

        page.select_option("#kind", "generate")
        page.fill("#llm", "replay:max_of_list.jsonl")
        page.fill("#attempts", "4")
        page.fill("#spec", SPEC)
        page.click("#submit")
        page.wait_for_url(f"{url}/ui/jobs/*")
        first_status = page.get_attribute("#job", "data-status")
        page.evaluate("window.__same_page = true")
        page.wait_for_selector("#status.verified", timeout=240_000)  # (the page's CSP forbids string eval)
        page.wait_for_selector("#final-python")
        page.screenshot(path=str(tmp_path / "ui-job.png"), full_page=True)

        # live: the page was opened before the job ended and changed without a reload
        assert first_status in ("queued", "running") and page.evaluate("window.__same_page") is True
        assert page.inner_text("#live") == "finished"
        kinds = page.eval_on_selector_all("#timeline li", "rows => rows.map(r => r.dataset.kind)")
        assert kinds[0] == "queued" and kinds[-1] == "done", kinds
        assert {"running", "prompt", "response", "guard", "quicktest", "check", "outcome"} <= set(kinds)
        assert "Dafny verified" in page.inner_text("#timeline")

        # untrusted spec text is shown as text, never run
        assert page.inner_text("#description") == XSS and page.evaluate("window.__xss") is None
        assert not errors, errors

        # the first attempt's diagnostic and its clause sit at line 8 (the loop's return path)
        at_line_8 = page.locator("#attempt-1 tr.note[data-line='8']").all_inner_texts()
        assert any("postcondition might not hold" in t for t in at_line_8), at_line_8
        assert any("clause: ensures exists i :: 0 <= i < |xs| && xs[i] == m" in t for t in at_line_8), at_line_8
        added = page.locator("#attempt-2 .diff .dadd").all_inner_texts()
        assert any("invariant exists i :: 0 <= i < k && xs[i] == m" in t for t in added), added
        assert "Dafny: verified" in page.inner_text("#attempt-2 .outcome")
        assert "method MaxOfList" in page.inner_text("#final-proof")
        assert "def MaxOfList" in page.inner_text("#final-python")
        assert '"verdict": "verified"' in page.inner_text("#certificate")

        # another key's job is not there for this browser
        page.goto(f"{url}/ui/jobs/{other}")
        assert page.inner_text("h1").startswith("No job")
    shot = tmp_path / "ui-job.png"
    assert shot.stat().st_size > 20_000, shot
