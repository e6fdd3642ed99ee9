"""Spaced-repetition study: flashcards scheduled by FSRS, reviews and undo.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("study", __name__, url_prefix="/study", template_folder="templates")

from quizapp.study import views  # noqa: E402, F401  (registers the routes)
