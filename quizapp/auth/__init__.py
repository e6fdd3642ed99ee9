"""Accounts: sign-up, sign-in, settings and passwords.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from quizapp.auth import views  # noqa: E402, F401  (registers the routes)
