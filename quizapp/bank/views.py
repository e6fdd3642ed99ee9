"""The bank browser: browse, filter and search questions; see each one's evidence."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request

from quizapp.bank.forms import BankFilterForm, options
from quizapp.bank.queries import active_questions, category_counts, tag_counts
from quizapp.core.bank import read_sources
from quizapp.core.sources import Passage, Source, passage_around
from quizapp.extensions import db
from quizapp.models import Question

bp = Blueprint("bank", __name__, url_prefix="/bank", template_folder="templates")


@bp.get("/")
def index() -> str:
    form = BankFilterForm(request.args)
    tags = tag_counts()
    form.tag.choices = options("All tags", [(tag, f"{tag} ({n})") for tag, n in tags])
    filters = {"search": "", "category": "", "kind": "", "tag": ""}
    if form.validate():
        filters = {"search": form.q.data or "", "category": form.category.data or "",
                   "kind": form.kind.data or "", "tag": form.tag.data or ""}
    page = db.paginate(
        active_questions(**filters),
        per_page=current_app.config["QUESTIONS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "bank/index.html", form=form, page=page, filters=filters,
        categories=category_counts(), filtered=any(filters.values()),
    )


@bp.get("/<question_id>")
def detail(question_id: str) -> str:
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    sources = _sources()
    evidence = [
        (sources.get(item.source), item, _passage(sources.get(item.source), item.quote))
        for item in question.to_core().all_evidence
    ]
    return render_template("bank/detail.html", question=question, evidence=evidence)


def _sources() -> dict[str, Source]:
    """The source texts, read once per process: they change only with a deploy."""
    cached = current_app.extensions.get("quizapp_sources")
    if cached is None:
        cached = read_sources(Path(current_app.config["BANK_DIR"]) / "sources")
        current_app.extensions["quizapp_sources"] = cached
    return cached


def _passage(source: Source | None, quote: str) -> Passage | None:
    return passage_around(source.text, quote) if source else None
