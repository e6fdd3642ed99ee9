"""Where Chromium is, how it is started, and where screenshots go (no Playwright import here,
so a missing Playwright can be reported as a skip)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("QUIZAPP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Every browser test's pages are saved here as PNGs, to be looked at (never committed).
SCREENSHOTS = Path(os.environ.get("QUIZAPP_SCREENSHOTS", "/tmp/quizapp-screenshots"))
