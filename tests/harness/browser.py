"""Headless Chromium (Debian's package) driven by Playwright, for the console tests, and
signing in to the console there."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("WECOM_BOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's hosts on this closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@asynccontextmanager
async def browser_page(base_url: str) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = await browser.new_page(base_url=base_url,
                                          viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.js_errors = errors
            yield page
        finally:
            await browser.close()


def screenshot_path(name: str, tmp: Path) -> Path:
    """Screenshots go to $WECOM_BOT_SCREENSHOTS (the README's pictures) or a temp dir."""
    folder = Path(os.environ.get("WECOM_BOT_SCREENSHOTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


async def sign_in(page: Any, token: str, where: str) -> None:
    """Open ``where`` in the console and sign in with an API token."""
    await page.goto(where)
    await page.fill("#token", token)
    await page.click("#signin button")
