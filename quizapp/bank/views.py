"""The bank browser: browse, filter and search questions; see each one's evidence."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from quizapp.bank import bp
from quizapp.bank.forms import BankFilterForm, options
from quizapp.extensions import db
from quizapp.models import Question
from quizapp.persistence.bank_queries import active_questions, category_counts, tag_counts
from quizapp.web.texts import evidence_in_context

#: Far past the last page of any bank, and small enough for any database's OFFSET.
MAX_PAGE = 10_000


@bp.get("/")
def index() -> str:
    form = BankFilterForm(request.args)
    tags = tag_counts()
    form.tag.choices = options("All tags", [(tag, f"{tag} ({n})") for tag, n in tags])
    filters = {"search": "", "category": "", "kind": "", "tag": ""}
    if form.validate():
        filters = {
            "search": form.q.data or "",
            "category": form.category.data or "",
            "kind": form.kind.data or "",
            "tag": form.tag.data or "",
        }
    number = request.args.get("page", 1, type=int)
    if not 1 <= number <= MAX_PAGE:
        abort(404)
    page = db.paginate(
        active_questions(**filters),
        page=number,
        per_page=current_app.config["QUESTIONS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "bank/index.html",
        form=form,
        page=page,
        filters=filters,
        categories=category_counts(),
        filtered=any(filters.values()),
        export_args={
            ("q" if key == "search" else key): value for key, value in filters.items() if value
        },
    )


def _owns(question: Question) -> bool:
    """A teacher's own question is shown only to that teacher (it is not in the bank)."""
    return current_user.is_authenticated and current_user.id == question.owner_id


@bp.get("/<question_id>")
def detail(question_id: str) -> str:
    question = db.session.get(Question, question_id)
    if question is None or (question.is_own and not _owns(question)):
        abort(404)
    return render_template(
        "bank/detail.html", question=question, evidence=evidence_in_context(question)
    )
