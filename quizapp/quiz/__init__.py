"""Self-test quizzes: build one, take it question by question, see the results.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz", template_folder="templates")

from quizapp.quiz import views  # noqa: E402, F401  (registers the routes)
