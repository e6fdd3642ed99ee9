"""A student's classes and assignments: joining with a code, what is to do, starting
an attempt.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("assignments", __name__, template_folder="templates")

from quizapp.assignments import views  # noqa: E402, F401  (registers the routes)
