"""Static files cached for a year under versioned URLs.

Every ``url_for('static', ...)`` gets ``?v=`` and the first 12 hex digits of the
file's SHA-256, so a browser keeps the stylesheet and script for a year and
fetches them again only when their content (and so their URL) changes.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask

#: How long a browser may keep a static file: its URL changes with its content.
ONE_YEAR = 365 * 24 * 3600


def _version(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


def install(app: Flask) -> None:
    static = Path(app.static_folder or "")

    @cache
    def version_of(filename: str) -> str:  # by name: every page asks for five
        return _version(static / filename)

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = version_of(values["filename"])

    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR
