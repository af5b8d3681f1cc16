"""Headless Chromium (Debian's package) driven by Playwright, for the console tests, signing
in to the console there, and working its Element Plus controls as a person does."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("WECOM_BOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's hosts on this closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@asynccontextmanager
async def browser_page(base_url: str, *, viewport: dict[str, int] | None = None,
                       downloads: bool = False) -> AsyncIterator[Any]:
    """A fresh browser (no cookies) with one page; ``page.js_errors`` collects uncaught
    errors and ``page.csp_violations`` what the console's CSP refused."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = await browser.new_context(base_url=base_url,
                                                viewport=viewport or DESKTOP,
                                                accept_downloads=True)
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text)
                    if msg.type == "error" and "Content Security Policy" in msg.text else None)
            page.js_errors = errors
            yield page
        finally:
            await browser.close()


async def new_tab(page: Any) -> Any:
    """Another tab of the same browser (cookies shared, sessionStorage not)."""
    tab = await page.context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors
    return tab


def screenshot_path(name: str, tmp: Path) -> Path:
    """Screenshots go to $WECOM_BOT_SCREENSHOTS (the README's pictures) or a temp dir."""
    folder = Path(os.environ.get("WECOM_BOT_SCREENSHOTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


async def sign_in(page: Any, token: str, where: str) -> None:
    """Open ``where`` in the console and sign in with an API token."""
    await page.goto(where)
    await page.fill("#token", token)
    await page.click("#signin button[type=submit]")
    await page.wait_for_selector("#who")


async def choose(page: Any, select_id: str, label: str) -> None:
    """Pick the option shown as ``label`` (its text starts with it) in an el-select."""
    await page.locator(f".el-select:has(#{select_id})").click()
    option = page.locator(".el-select-dropdown__item:visible").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}(\s|$)"))
    await option.first.click()
    # The list fades out: wait, so that the next choose() finds only its own list's options.
    await page.locator(".el-select-dropdown__item:visible").first.wait_for(state="hidden")


async def confirm(page: Any) -> None:
    """Accept the confirmation box (删除、吊销…)."""
    await page.click(".el-message-box__btns .el-button--primary")


# What people read on a page: every visible text outside what is data, and Latin words in it.
# Proper names and abbreviations people read as they are.
ALLOWED = {"WeCom", "API", "CSV", "JSON", "YAML", "ERP", "ID", "IP", "QR", "P90", "URL",
           "Secret", "AgentId", "Token", "HTTP", "HTTPS", "SLA", "Excel", "PNG", "JPG", "AES",
           "EncodingAESKey", "CorpID", "Redis", "PostgreSQL", "SQLite", "Prometheus", "KB",
           "MB", "AMR"}
# Text people read as data, not UI: ids, codes, the customers' own words.
SKIP = "code, pre, kbd, .muted, .mono, .bubble, .cell-wrap, [data-id], .el-input, .el-textarea"
VISIBLE_TEXT = """(skip) => {
  const out = [];
  const walk = document.createTreeWalker(document.querySelector('#app'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest(skip)) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    out.push(n.textContent.trim());
  }
  return out;
}"""
OVERFLOW = """() => {
  const main = document.querySelector('.main');
  return {main: main.scrollWidth - main.clientWidth,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.@-]*")


def english(texts: list[str]) -> list[str]:
    """Latin words that are neither allowed names nor shaped like ids (digits, _ . @ -)."""
    found = []
    for text in texts:
        # 「李娜（lina）」: the id in brackets after a name is the console's secondary text.
        for word in WORD.findall(re.sub(r"（[^）]*）", "", text)):
            if word in ALLOWED or re.search(r"[0-9_.@-]", word) or len(word) == 1:
                continue
            found.append(f"{word!r} in {text[:60]!r}")
    return found
