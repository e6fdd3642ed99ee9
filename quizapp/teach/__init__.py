"""The teacher's pages: classes, quiz sets, assignments, gradebooks and reports.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("teach", __name__, url_prefix="/teach", template_folder="templates")

from quizapp.teach import views  # noqa: E402, F401  (registers the routes)
