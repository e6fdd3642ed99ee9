"""The home page: a student's dashboard, or the welcome page for visitors.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("home", __name__, template_folder="templates")

from quizapp.home import views  # noqa: E402, F401  (registers the routes)
