"""Security headers on every response, from one after-request hook.

The Content-Security-Policy allows only this site's own scripts, styles and
images (no inline script or style anywhere: the pages have none), refuses
framing (so one-click buttons cannot be clickjacked), and pages shown to a
signed-in user are never stored by a browser or proxy cache (one-time passwords,
gradebooks and answers stay off shared machines' disks).
"""

from __future__ import annotations

from flask import Flask, Response, request, session

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def secure_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # The session says who is signed in without a database read (it may be unreachable).
    if request.endpoint != "static" and "_user_id" in session:
        response.headers["Cache-Control"] = "no-store"
    return response


def hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def install(app: Flask) -> None:
    """Add the headers to every response; HSTS too when the site is served over HTTPS."""
    app.after_request(secure_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(hsts)
