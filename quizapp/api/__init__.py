"""The JSON API under /api/v1: personal access tokens only (never the session cookie,
so CSRF, which guards cookie-borne requests, does not apply), one error shape, a
per-token rate limit, and an OpenAPI 3.1 document generated from the code by spectree.

The blueprint is defined here; its routes are declared in ``routing``, and their
views in ``views``, imported on the first API request.
"""

from flask import Blueprint

from quizapp.api import routing
from quizapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
csrf.exempt(bp)

routing.register(bp)
