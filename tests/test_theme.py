"""The theme switch: a cookie the server renders from, set by a plain form."""

from __future__ import annotations

from flask.testing import FlaskClient
from helpers.web import csrf_token


def _switch(client: FlaskClient, theme: str, next_url: str) -> object:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/theme", data={"csrf_token": token, "theme": theme, "next": next_url})


def test_the_chosen_theme_is_kept_in_a_cookie_and_rendered_by_the_server(
    client: FlaskClient,
) -> None:
    assert "data-theme" not in client.get("/bank/").get_data(as_text=True).split("<head>")[0]
    response = _switch(client, "dark", "/bank/?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/bank/?page=2"
    cookie = client.get_cookie("theme")
    assert cookie is not None
    assert cookie.value == "dark"
    page = client.get("/bank/").get_data(as_text=True)
    assert '<html lang="en" data-theme="dark">' in page
    assert '<meta name="color-scheme" content="dark">' in page

    _switch(client, "system", "/")
    assert client.get_cookie("theme") is None
    assert '<meta name="color-scheme" content="light dark">' in client.get("/").get_data(
        as_text=True
    )


def test_the_switch_goes_back_only_to_this_site_and_refuses_other_themes(
    client: FlaskClient,
) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil", ""):
        response = _switch(client, "light", target)
        assert response.headers["Location"] == "/", target
    assert _switch(client, "purple", "/").status_code == 400
    client.set_cookie("theme", "purple")
    assert "data-theme" not in client.get("/").get_data(as_text=True).split("<head>")[0]
