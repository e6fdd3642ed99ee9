"""Exam revision: a student's exam date and scope, and readiness for that day.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("exam", __name__, url_prefix="/exam", template_folder="templates")

from quizapp.exam import views  # noqa: E402, F401  (registers the routes)
