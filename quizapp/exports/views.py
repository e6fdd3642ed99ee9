"""Download routes: the bank under the browser's filter, a teacher's quiz set, and a
student's missed questions from a finished quiz.

The bank is public, as its browser is; a set is its teacher's alone (others get
404, students 403) and an attempt its student's alone (everyone else 404).
"""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import login_required

from quizapp.core.bank import CATEGORIES, KINDS, BankQuestion
from quizapp.exports import bp, service
from quizapp.models import utcnow
from quizapp.quiz.service import attempt_for, results_visible
from quizapp.teach.service import owned_set, questions_in
from quizapp.web.accounts import signed_in_user
from quizapp.web.downloads import attachment
from quizapp.web.texts import source_texts

#: The bank browser's own limits on its filter (quizapp/bank/forms.py).
MAX_SEARCH = 100
MAX_TAG = 60


def _download(questions: list[BankQuestion], key: str, name: str) -> Response:
    chosen = service.FORMATS.get(key) or abort(404)
    titles = {k: source.title for k, source in source_texts().items()}
    body = service.build(questions, chosen.key, titles, utcnow())
    return attachment(body, f"{name}.{chosen.extension}", chosen.mimetype)


def _bank_filter() -> dict[str, str]:
    """The bank browser's filter from the query; a value it would not offer is a 400, and
    a tag no question of the bank carries is a 404 (there is no such export to name)."""
    filters = {key: request.args.get(key, "").strip() for key in ("q", "category", "kind", "tag")}
    if filters["category"] and filters["category"] not in CATEGORIES:
        abort(400, "Unknown category.")
    if filters["kind"] and filters["kind"] not in KINDS:
        abort(400, "Unknown kind of question.")
    if len(filters["q"]) > MAX_SEARCH or len(filters["tag"]) > MAX_TAG:
        abort(400, "Search or tag too long.")
    if filters["tag"] and not service.is_bank_tag(filters["tag"]):
        abort(404, "No question in the bank has that tag.")
    return filters


@bp.get("/bank/<fmt>")
def bank(fmt: str) -> Response:
    service.FORMATS.get(fmt) or abort(404)
    filters = _bank_filter()
    questions = service.bank_questions(
        search=filters["q"], category=filters["category"], kind=filters["kind"], tag=filters["tag"]
    )
    parts = [filters[key] for key in ("category", "tag", "kind") if filters[key]]
    return _download(questions, fmt, "-".join(["october-revolution", *parts]))


@bp.get("/sets/<int:set_id>/<fmt>")
@login_required
def quiz_set(set_id: int, fmt: str) -> Response:
    teacher = signed_in_user()
    if not teacher.is_teacher:
        abort(403)
    found = owned_set(teacher, set_id) or abort(404)
    service.FORMATS.get(fmt) or abort(404)
    questions = [row.to_core() for row in questions_in(found)]
    return _download(questions, fmt, f"quiz-set-{found.id}")


@bp.get("/attempts/<int:attempt_id>/missed/<fmt>")
@login_required
def missed(attempt_id: int, fmt: str) -> Response:
    attempt = attempt_for(signed_in_user(), attempt_id) or abort(404)
    service.FORMATS.get(fmt) or abort(404)
    if not attempt.is_finished or not results_visible(attempt, utcnow()):
        abort(403)
    return _download(service.missed_questions(attempt), fmt, f"quiz-{attempt.id}-missed")
