"""What a page costs to send: compressed pages, and static files cached under versioned URLs."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from helpers.web import register

from quizapp.web.assets import ONE_YEAR


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_are_sent_compressed(client: FlaskClient, encoding: str) -> None:
    register(client)
    for url in ("/", "/study/", "/bank/", "/progress/"):
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding, url
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert len(packed.data) < len(plain.data) / 2, url


def test_static_files_have_versioned_urls_and_are_kept_a_year(client: FlaskClient) -> None:
    page = client.get("/bank/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert urls
    for url in urls:
        assert re.fullmatch(r"/static/[\w.-]+\?v=[0-9a-f]{12}", url), url
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert response.headers["Cache-Control"] == f"public, max-age={ONE_YEAR}"
        assert response.headers["Content-Encoding"] == "br"


def test_a_static_url_changes_with_the_file(tmp_path: object) -> None:
    from pathlib import Path

    from quizapp.web.assets import _version

    file = Path(str(tmp_path)) / "style.css"
    file.write_text("a { color: red }")
    first = _version(file)
    file.write_text("a { color: blue }")
    assert _version(file) != first


#: What a main page may cost on a first view, compressed: the page and every file it loads.
FIRST_VIEW_BUDGET = 50 * 1024


def _first_view_bytes(client: FlaskClient, url: str) -> int:
    page = client.get(url, headers={"Accept-Encoding": "br"})
    assert page.status_code == 200, url
    total = len(page.data)
    html = client.get(url).get_data(as_text=True)
    for asset in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)):
        total += len(client.get(asset, headers={"Accept-Encoding": "br"}).data)
    return total


def test_each_main_page_costs_at_most_50_kb_on_a_first_view(client: FlaskClient) -> None:
    register(client)
    for url in ("/", "/study/", "/bank/", "/progress/", "/exam/", "/quiz/", "/settings"):
        cost = _first_view_bytes(client, url)
        assert cost <= FIRST_VIEW_BUDGET, (url, cost)
