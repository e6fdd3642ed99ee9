"""The front door: a welcome for visitors, the day's plan for students, the theme switch."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.assignments.service import my_assignments
from quizapp.exam import service as exam_service
from quizapp.home import bp
from quizapp.home.forms import ThemeForm
from quizapp.models import utcnow
from quizapp.persistence.connections import reads_only
from quizapp.study import service
from quizapp.web.accounts import signed_in_user
from quizapp.web.theme import COOKIE, COOKIE_AGE, THEMES, local_path

#: Assignments a student can still do something about, most pressing first.
OPEN_STATUSES = ("overdue", "in progress", "due soon", "to do")


@bp.get("/")
@reads_only
def index() -> str:
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    now = utcnow()
    user = signed_in_user()
    stats = service.home_stats(user, now)
    cards = [c for c in my_assignments(user, now) if c.status != "closed"]
    waiting = [c for c in cards if c.status in OPEN_STATUSES]
    next_up = min(waiting, key=lambda c: c.assignment.due_at) if waiting else None
    return render_template(
        "home/dashboard.html",
        stats=stats,
        day=stats.day,
        outlook=exam_service.outlook(user, now),
        next_assignment=next_up,
        assignments=cards,
    )


@bp.post("/theme")
def theme() -> Response:
    """Keep the chosen theme in a cookie (``system`` forgets it), then go back."""
    form = ThemeForm()
    if not form.validate_on_submit():
        abort(400)
    response = make_response(redirect(local_path(form.next.data)))
    if form.theme.data in THEMES:
        response.set_cookie(
            COOKIE,
            form.theme.data,
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    else:
        response.delete_cookie(COOKIE)
    return response
