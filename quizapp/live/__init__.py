"""Live class games: the teacher's projector drives, students play on their phones.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live", template_folder="templates")

from quizapp.live import views  # noqa: E402, F401  (registers the routes)
