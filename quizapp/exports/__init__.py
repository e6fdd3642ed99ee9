"""Downloads of questions in other tools' formats: Anki, Moodle (GIFT and XML), CSV, TSV.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from quizapp.exports import views  # noqa: E402, F401  (registers the routes)
