"""The web chat page in headless Chromium (Playwright driving the system's browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_type_send_and_read_the_reply(app_process):
    from playwright.sync_api import expect, sync_playwright

    base, _ = app_process("uvicorn")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(base + "/")
            expect(page).to_have_title("Faith Motivator")

            box = page.get_by_label("Your message")
            box.fill("I feel so anxious about tomorrow's interview")
            page.get_by_role("button", name="Send").click()

            log = page.get_by_role("log")
            reply = log.locator(".reply").first
            expect(reply).to_be_visible(timeout=10_000)
            expect(reply.locator("blockquote.verse").first).to_contain_text("WEB")
            assert "Faith Motivator:" in reply.inner_text()
            expect(box).to_have_value("")

            # Keyboard only: Enter sends from the focused box.
            box.focus()
            page.keyboard.type("Thank you, I'm grateful")
            page.keyboard.press("Enter")
            expect(log.locator(".reply")).to_have_count(2, timeout=10_000)
            session = page.evaluate("sessionStorage.getItem('faith-motivator-session')")
            assert session and len(session) == 36
        finally:
            browser.close()
