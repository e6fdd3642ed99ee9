"""Exam plans: the scope, readiness on exam day, and revision of the weakest cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from fsrs import Rating
from sqlalchemy import ScalarSelect, Select, bindparam, func, select

from quizapp.core.days import study_day
from quizapp.core.readiness import (
    Readiness,
    days_left,
    exam_moment,
    in_revision_window,
    is_active,
    readiness,
    readiness_history,
)
from quizapp.core.scheduling import CardState, review
from quizapp.extensions import db
from quizapp.models import (
    Card,
    ExamPlan,
    Membership,
    Question,
    QuestionTag,
    Review,
    SchoolClass,
    User,
    utcnow,
)
from quizapp.persistence.bank_queries import IN_BANK


def own_plan(user: User) -> ExamPlan | None:
    """The exam plan the student set themselves."""
    return db.session.scalar(select(ExamPlan).where(ExamPlan.user_id == user.id))


def _nearest_class_exam(what: Any, user_id: Any, today: Any) -> Select[Any]:
    """``what`` (the class or a column) of the student's class with the nearest exam."""
    return (
        select(what)
        .join(Membership, Membership.class_id == SchoolClass.id)
        .where(
            Membership.user_id == user_id,
            SchoolClass.exam_date.is_not(None),
            SchoolClass.exam_date >= today,
        )
        .order_by(SchoolClass.exam_date, SchoolClass.id)
        .limit(1)
    )


def class_exam(user: User, today: date) -> SchoolClass | None:
    """The student's class with the nearest exam still to come, if any class has one."""
    return db.session.scalar(_nearest_class_exam(SchoolClass, user.id, today))


def plan_for(user: User, today: date | None = None) -> ExamPlan | None:
    """The plan in force: the student's own, else their class's nearest exam."""
    today = today or study_day(utcnow(), user.timezone)
    own_id, class_id = db.session.execute(
        _plan_statement(), {"user_id": user.id, "today": today}
    ).one()
    return plan_from(user, own_id, class_id)


@cache
def _plan_statement() -> Select[tuple[int | None, int | None]]:
    return select(*plan_sources())


def plan_sources() -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    """The ids of the student's own plan and of their class with the nearest exam, as
    subqueries taking the parameters ``user_id`` and ``today``: a page that needs the
    plan reads them in the statement that reads its other figures, and hands the two
    ids to ``plan_from``."""
    user_id, today = bindparam("user_id"), bindparam("today")
    own = select(ExamPlan.id).where(ExamPlan.user_id == user_id).scalar_subquery()
    return own, _nearest_class_exam(SchoolClass.id, user_id, today).scalar_subquery()


def plan_from(user: User, own_id: int | None, class_id: int | None) -> ExamPlan | None:
    """The plan named by ``plan_sources``' ids: the student's own, else the class's."""
    if own_id is not None:
        return db.session.get(ExamPlan, own_id)
    if class_id is not None:
        return plan_from_class(user, db.session.get_one(SchoolClass, class_id))
    return None


def plan_from_class(user: User, school_class: SchoolClass) -> ExamPlan:
    """A class's exam as the student's plan. Never saved: the class owns it."""
    return ExamPlan(
        user_id=user.id,
        exam_date=school_class.exam_date,
        categories=list(school_class.exam_categories or []),
        tags=list(school_class.exam_tags or []),
        created_at=max(school_class.created_at, user.created_at),
    )


def active_plan(user: User, now: datetime) -> ExamPlan | None:
    """The student's exam plan while it runs (until exam day), else None."""
    return in_force(plan_for(user, study_day(now, user.timezone)), user, now)


def in_force(plan: ExamPlan | None, user: User, now: datetime) -> ExamPlan | None:
    """``plan`` while it runs (until exam day), else None."""
    if plan is None or not is_active(study_day(now, user.timezone), plan.exam_date):
        return None
    return plan


def scope_question_ids(plan: ExamPlan) -> list[str]:
    """Active questions in the exam's scope: its categories and tags (none set means all)."""
    return questions_in_scope(plan.categories, plan.tags)


def questions_in_scope(categories: Sequence[str], tags: Sequence[str]) -> list[str]:
    """Active questions of any of ``categories`` carrying any of ``tags`` (empty: any)."""
    query = select(Question.id).where(Question.retired_at.is_(None), IN_BANK)
    if categories:
        query = query.where(Question.category.in_(categories))
    if tags:
        tagged = select(QuestionTag.question_id).where(QuestionTag.tag.in_(tags))
        query = query.where(Question.id.in_(tagged))
    return list(db.session.scalars(query.order_by(Question.id)))


def remaining_new(user: User, plan: ExamPlan) -> int:
    """Questions in the exam's scope (and the student's study categories) never studied yet.

    The exam's pace is set by these: each must be started before exam day.
    """
    studied = select(Card.question_id).where(Card.user_id == user.id, Card.reps > 0)
    query = (
        select(func.count())
        .select_from(Question)
        .where(Question.id.in_(scope_question_ids(plan)), Question.id.not_in(studied))
    )
    if user.study_categories:
        query = query.where(Question.category.in_(user.study_categories))
    return db.session.scalar(query) or 0


def scope_states(user: User, plan: ExamPlan) -> dict[str, CardState | None]:
    scope = scope_question_ids(plan)
    cards = db.session.scalars(
        select(Card).where(Card.user_id == user.id, Card.question_id.in_(scope))
    )
    by_id = {card.question_id: card.memory_state() for card in cards}
    return {qid: by_id.get(qid) for qid in scope}


def exam_readiness(user: User, plan: ExamPlan) -> Readiness:
    """The forecast the student sees for exam day (``teach.reports.class_readiness``
    computes the same for a whole class in one pass)."""
    return readiness(scope_states(user, plan), exam_moment(plan.exam_date, user.timezone))


def weakest_for_exam(
    user: User, plan: ExamPlan, now: datetime, last_question_id: str | None
) -> str | None:
    """In the last days before the exam, the card least likely to be recalled on the day.

    Only cards below the student's desired retention qualify, so revision
    ends once every card in scope is strong enough.
    """
    if not in_revision_window(study_day(now, user.timezone), plan.exam_date):
        return None
    for forecast in exam_readiness(user, plan).cards:
        if forecast.recall >= user.desired_retention:
            return None
        if forecast.question_id != last_question_id:
            return forecast.question_id
    return None


def history(user: User, plan: ExamPlan, now: datetime, days: int = 30) -> list[tuple[date, float]]:
    """Readiness at the end of each day since the plan began (at most ``days`` days)."""
    scope = scope_question_ids(plan)
    reviews = db.session.scalars(
        select(Review)
        .where(Review.user_id == user.id, Review.question_id.in_(scope))
        .order_by(Review.reviewed_at, Review.id)
    )
    states: dict[str, list[tuple[datetime, CardState]]] = {}
    for entry in reviews:
        trail = states.setdefault(entry.question_id, [])
        previous = trail[-1][1] if trail else None
        state = review(previous, Rating(entry.rating), entry.reviewed_at, entry.desired_retention)
        trail.append((entry.reviewed_at, state))
    today = study_day(now, user.timezone)
    first = max(study_day(plan.created_at, user.timezone), today - timedelta(days=days - 1))
    span = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    return readiness_history(
        states, scope, span, exam_moment(plan.exam_date, user.timezone), user.timezone
    )


#: The home page's readiness trend compares today with this many days before.
TREND_DAYS = 7


@dataclass(frozen=True)
class Outlook:
    """The running exam plan at a glance: the countdown, readiness now and its trend."""

    exam_date: date
    days_left: int
    percent: int
    earlier_percent: int | None
    earlier_date: date | None

    @property
    def change(self) -> int | None:
        return None if self.earlier_percent is None else self.percent - self.earlier_percent


def outlook(user: User, now: datetime) -> Outlook | None:
    """The student's running plan for the home page, None without one."""
    plan = active_plan(user, now)
    if plan is None:
        return None
    today = study_day(now, user.timezone)
    percent = exam_readiness(user, plan).percent
    past = history(user, plan, now, days=TREND_DAYS + 1)
    earlier = past[0] if len(past) > 1 else None
    return Outlook(
        exam_date=plan.exam_date,
        days_left=days_left(today, plan.exam_date),
        percent=percent,
        earlier_percent=round(earlier[1] * 100) if earlier else None,
        earlier_date=earlier[0] if earlier else None,
    )
