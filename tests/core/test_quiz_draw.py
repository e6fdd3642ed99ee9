"""Quiz drawing, same-type distractors and scoring, on the real bank."""

from __future__ import annotations

import random
from collections import Counter

from quizapp.core.bank import BankQuestion
from quizapp.core.grading import KNOWN_NAMES, normalise
from quizapp.core.parsing import parse_date
from quizapp.core.quiz import QuizSpec, answer_type, choices_for, draw, same_type_distractors, score


def test_draw_has_no_repeats_and_mixes_kinds(
    questions: tuple[BankQuestion, ...], by_id: dict[str, BankQuestion]
) -> None:
    drawn = draw(questions, QuizSpec(count=12), random.Random(1))
    assert len(drawn) == len(set(drawn)) == 12
    kinds = Counter(by_id[qid].kind for qid in drawn)
    assert len(kinds) == 6
    assert max(kinds.values()) == 2


def test_draw_obeys_filters_and_stops_when_the_pool_runs_out(
    questions: tuple[BankQuestion, ...], by_id: dict[str, BankQuestion]
) -> None:
    spec = QuizSpec(categories=("slogans",), count=500)
    drawn = draw(questions, spec, random.Random(2))
    assert len(drawn) == sum(1 for q in questions if q.category == "slogans")
    spec = QuizSpec(tags=("trotsky",), kinds=("choice",), count=5)
    tagged = draw(questions, spec, random.Random(3))
    assert all("trotsky" in by_id[q].tags and by_id[q].kind == "choice" for q in tagged)
    assert draw(questions, QuizSpec(tags=("no-such-tag",)), random.Random(4)) == []


def test_date_distractors_are_other_dates(questions: tuple[BankQuestion, ...]) -> None:
    question = next(q for q in questions if q.kind == "date" and answer_type(q) == "date")
    distractors = same_type_distractors(question, questions, 3, random.Random(5))
    assert len(distractors) == 3
    right = parse_date(str(question.answer))
    for option in distractors:
        value = parse_date(option)
        assert value is not None
        assert not value.has_time
        assert value != right


def test_person_distractors_are_other_people(questions: tuple[BankQuestion, ...]) -> None:
    question = next(q for q in questions if answer_type(q) == "person")
    distractors = same_type_distractors(question, questions, 3, random.Random(6))
    assert distractors
    assert all(normalise(option) in KNOWN_NAMES for option in distractors)
    assert str(question.answer) not in distractors


def test_choices_keep_the_answer_and_shuffle(questions: tuple[BankQuestion, ...]) -> None:
    question = next(q for q in questions if q.kind == "choice")
    options = choices_for(question, questions, random.Random(7), always_choice=False)
    assert sorted(options) == sorted(question.choices)
    typed = next(q for q in questions if answer_type(q) == "number")
    forced = choices_for(typed, questions, random.Random(8), always_choice=True)
    assert str(typed.answer) in forced
    assert len(forced) == len(set(forced)) >= 3
    assert choices_for(typed, questions, random.Random(8), always_choice=False) == []


def test_score_by_category() -> None:
    result = score([("dates", True), ("dates", False), ("slogans", True)])
    assert (result.right, result.total, result.percent) == (2, 3, 67)
    assert list(result.by_category) == ["dates", "slogans"]
    assert result.by_category["dates"].percent == 50
