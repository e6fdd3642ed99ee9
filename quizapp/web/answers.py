"""Reading an answer out of a submitted form, the same way for study and quizzes."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from quizapp.core.grading import order_response
from quizapp.models import Question

MAX_RESPONSE = 500


def response_from_form(question: Question, form: Mapping[str, str]) -> str | None:
    """The student's answer: the text box or chosen option, or the timeline's order.

    None for a timeline that does not place every event exactly once, so the
    page can ask again instead of marking a half-made order wrong.
    """
    if question.kind != "order":
        return (form.get("response") or "").strip()[:MAX_RESPONSE]
    count = len(question.answer)
    chosen = [form.get(f"position-{n}", "") for n in range(1, count + 1)]
    if sorted(chosen) != sorted(question.answer):
        return None
    return order_response(chosen)


def shuffled(items: Sequence[str], seed: str) -> list[str]:
    """The items in an order fixed by ``seed``: stable across reloads of one showing."""
    result = list(items)
    random.Random(seed).shuffle(result)
    return result
