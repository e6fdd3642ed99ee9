"""The JSON API under /api/v1: personal access tokens only (never the session cookie,
so CSRF, which guards cookie-borne requests, does not apply), one error shape, a
per-token rate limit, and an OpenAPI 3.1 document generated from the code by spectree.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

from quizapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
csrf.exempt(bp)

from quizapp.api import views  # noqa: E402, F401  (registers the routes)
