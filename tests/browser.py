"""A headless Chromium for the tests of the board in a browser, through Playwright.

The system's Chromium is used (never a download: ``playwright install`` needs the network):
``$RELBOARD_TEST_CHROMIUM`` if set, else ``chromium``, ``chromium-browser``, ``google-chrome``
or ``google-chrome-stable`` on the PATH. Without one (or without Playwright) the browser tests
are skipped with the reason, unless ``RELBOARD_TEST_BROWSER=required`` (as ``.ci/run``
sets it), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Quiet on a closed network: without the background-networking flags Chromium's own
connections are refused there and the page never settles."""


def chromium_path() -> tuple[str | None, str]:
    """The Chromium to use, or None and why there is none."""
    override = os.environ.get("RELBOARD_TEST_CHROMIUM", "").strip()
    if override:
        found = shutil.which(override)
        return (found, "") if found else (None, f"RELBOARD_TEST_CHROMIUM={override} "
                                                "is not an executable")
    for name in NAMES:
        if found := shutil.which(name):
            return found, ""
    return None, f"no Chromium on the PATH ({', '.join(NAMES)}; or RELBOARD_TEST_CHROMIUM)"


def _unavailable(reason: str) -> None:
    """Skip, or fail where the browser is required."""
    if os.environ.get("RELBOARD_TEST_BROWSER", "").strip().lower() == "required":
        pytest.fail(f"a browser is required (RELBOARD_TEST_BROWSER=required): {reason}",
                    pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@contextlib.contextmanager
def chromium_page() -> Iterator[Any]:
    """A page of a fresh headless Chromium (empty profile), closed at the end."""
    path, reason = chromium_path()
    if path is None:
        _unavailable(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with tempfile.TemporaryDirectory(prefix="relboard-chromium-") as profile, \
            sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=path, headless=True, args=ARGS,
            viewport={"width": 1280, "height": 800})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
