"""The layout's links are built once (``web.links``) yet stay what ``url_for`` builds,
under each script root the app is mounted at."""

from __future__ import annotations

import re

from flask import Flask, url_for
from helpers.web import register


def links_of(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src|action)="([^"#]+)"', html))


def test_the_layout_links_are_url_fors_own(app: Flask) -> None:
    client = app.test_client()
    register(client)
    page = client.get("/study/").get_data(as_text=True)
    with app.test_request_context("/study/"):
        expected = {
            url_for("static", filename="style.css"),
            url_for("static", filename="app.js"),
            url_for("static", filename="study.js"),
            url_for("home.index"),
            url_for("study.show"),
            url_for("study.undo"),
            url_for("study.answer"),
            url_for("auth.logout"),
        }
    assert expected <= links_of(page)
    assert "?v=" in url_for_static(app, "style.css")


def url_for_static(app: Flask, filename: str) -> str:
    with app.test_request_context("/"):
        return url_for("static", filename=filename)


def test_each_script_root_gets_its_own_links(app: Flask) -> None:
    client = app.test_client()
    plain = links_of(client.get("/login").get_data(as_text=True))
    mounted = client.get("/login", base_url="http://localhost/revision")
    under_root = links_of(mounted.get_data(as_text=True))
    assert url_for_static(app, "style.css") in plain
    assert "/revision" + url_for_static(app, "style.css") in under_root
    assert "/revision/bank/" in under_root
    assert not any(link.startswith("/revision") for link in plain)
