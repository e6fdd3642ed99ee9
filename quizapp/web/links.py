"""The links every page repeats (the navigation, the stylesheet, the scripts), built once.

``url_for`` walks the routing map at every call, and the layout alone asks for
sixteen URLs that never change while the app runs. ``link`` keeps each one by its
endpoint (and a static file's name) and the request's script root, the one part of
the request such a URL depends on. Links with other arguments still use ``url_for``.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, request, url_for

#: Script roots come from the server (a proxy's prefix), so a handful at most; the
#: bound only keeps a misconfigured proxy from growing the cache without end.
KEPT = 512


def install(app: Flask) -> None:
    @lru_cache(maxsize=KEPT)
    def built(_script_root: str, endpoint: str, filename: str) -> str:
        return url_for(endpoint, filename=filename) if filename else url_for(endpoint)

    def link(endpoint: str, filename: str = "") -> str:
        """``url_for(endpoint)``, or ``url_for('static', filename=...)``, kept."""
        return built(request.script_root, endpoint, filename)

    app.jinja_env.globals["link"] = link
