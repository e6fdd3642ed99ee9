"""The progress page: the signed-in student's own review history, forecast and mastery.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/progress", template_folder="templates")

from quizapp.progress import views  # noqa: E402, F401  (registers the routes)
