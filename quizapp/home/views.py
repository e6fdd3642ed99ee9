"""The front door: a welcome for visitors, a study dashboard for students."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from quizapp.assignments.service import my_assignments
from quizapp.home import bp
from quizapp.models import utcnow
from quizapp.study import service
from quizapp.web.accounts import signed_in_user


@bp.get("/")
def index() -> str:
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    now = utcnow()
    user = signed_in_user()
    stats = service.home_stats(user, now)
    cards = my_assignments(user, now)
    return render_template(
        "home/dashboard.html", stats=stats, assignments=[c for c in cards if c.status != "closed"]
    )
