"""The bank browser through the Flask test client."""

from __future__ import annotations

import math
import re

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.core.bank import CATEGORY_LABELS
from quizapp.extensions import db
from quizapp.models import Question


def any_question(app: Flask, **where: str) -> Question:
    with app.app_context():
        query = select(Question).filter_by(owner_id=None, **where).order_by(Question.id).limit(1)
        question = db.session.scalar(query)
        assert question is not None
        db.session.expunge(question)
        return question


def test_welcome_page_leads_to_the_bank(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/bank/"' in page
    assert 'href="/register"' in page


def active_counts(app: Flask) -> dict[str, int]:
    """How many active questions each category has, from the database."""
    with app.app_context():
        rows = db.session.execute(
            select(Question.category, func.count())
            .where(Question.retired_at.is_(None), Question.owner_id.is_(None))
            .group_by(Question.category)
        )
        return {category: count for category, count in rows}


def test_index_lists_questions_with_counts(app: Flask, client: FlaskClient) -> None:
    counts = active_counts(app)
    total = sum(counts.values())
    per_page = app.config["QUESTIONS_PER_PAGE"]
    page = client.get("/bank/").get_data(as_text=True)
    tabs = dict(
        re.findall(
            r'<a href="/bank/(?:\?category=[\w-]+)?"[^>]*>([^<]+?) '
            r'<span class="count">(\d+)</span>',
            page,
        )
    )
    assert tabs == {"All": str(total), **{CATEGORY_LABELS[c]: str(n) for c, n in counts.items()}}
    assert f'<p class="result-count" role="status">{total} questions</p>' in page
    assert page.count('<li class="question-item">') == per_page
    assert f"Page 1 of {math.ceil(total / per_page)}" in page


def test_search_finds_by_answer_words(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        expected = set(
            db.session.scalars(
                select(Question.id).where(
                    Question.retired_at.is_(None),
                    Question.owner_id.is_(None),
                    Question.search_text.contains("aurora"),
                )
            )
        )
    assert expected
    page = client.get("/bank/?q=aurora").get_data(as_text=True)
    found = set(re.findall(r'<a class="question-link" href="/bank/([\w-]+)"', page))
    assert found == expected
    noun = "match" if len(expected) != 1 else "matches"
    plural = "s" if len(expected) != 1 else ""
    assert f"{len(expected)} question{plural} {noun}" in page
    empty = client.get("/bank/?q=zzzznothing").get_data(as_text=True)
    assert "No question matches" in empty


def test_filter_by_category_kind_and_tag(app: Flask, client: FlaskClient) -> None:
    question = any_question(app, category="vote-counts", kind="number")
    page = client.get("/bank/?category=vote-counts&kind=number").get_data(as_text=True)
    assert str(escape(question.prompt)) in page
    assert "badge-dates" not in page
    tagged = client.get("/bank/?tag=trotsky").get_data(as_text=True)
    items = tagged.split('class="question-item"')[1:]
    assert items
    assert all('href="/bank/?tag=trotsky"' in item for item in items)


def test_unknown_filter_value_is_ignored_with_a_message(client: FlaskClient) -> None:
    response = client.get("/bank/?category=nonsense")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_detail_shows_answer_explanation_and_highlighted_evidence(
    app: Flask, client: FlaskClient
) -> None:
    question = any_question(app, kind="short")
    page = client.get(f"/bank/{question.id}").get_data(as_text=True)
    assert f'<p class="answer-text">{escape(question.answer)}</p>' in page
    assert f'<p class="explanation">{escape(question.explanation)}</p>' in page
    assert "<mark>" in page
    first_word = question.evidence.split()[0]
    marked = page.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert first_word.replace("&", "&amp;").replace('"', "&#34;") in marked
    assert "Show the answer" in page


def test_detail_shows_the_note_where_the_texts_disagree(client: FlaskClient, app: Flask) -> None:
    with app.app_context():
        question = db.session.scalar(
            select(Question).where(Question.note.is_not(None), Question.owner_id.is_(None)).limit(1)
        )
        qid = question.id
    page = client.get(f"/bank/{qid}").get_data(as_text=True)
    assert "Note on the sources" in page


def test_unknown_question_is_404(client: FlaskClient) -> None:
    response = client.get("/bank/no-such-question")
    assert response.status_code == 404
    assert "find that page" in response.get_data(as_text=True)
