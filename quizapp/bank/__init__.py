"""The bank browser: every question with its answer, evidence and source, filtered and searched.

The blueprint is defined here and its routes in ``views``, which registers them on import.
"""

from flask import Blueprint

bp = Blueprint("bank", __name__, url_prefix="/bank", template_folder="templates")

from quizapp.bank import views  # noqa: E402, F401  (registers the routes)
