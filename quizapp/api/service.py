"""The API's own work: who a token belongs to, the per-token rate limit, and turning
what the other areas' services return into the API's response models.

Every figure comes from the service that computes it for the pages (study, exam,
progress, assignments, teach and its reports), so the API and the pages never differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Rating
from sqlalchemy import case, func, select, update

from quizapp.api import schemas
from quizapp.api.errors import ApiError
from quizapp.auth import service as auth_service
from quizapp.core.bank import CATEGORY_LABELS, choice_order
from quizapp.core.days import study_day
from quizapp.core.readiness import days_left, is_active
from quizapp.core.scheduling import next_intervals
from quizapp.core.scopes import Scope
from quizapp.core.stats import (
    BAND_LABELS,
    STATE_LABELS,
    Accuracy,
    accuracy_by_category,
    due_forecast,
    mastery_by_category,
    overall_accuracy,
    reviews_per_day,
)
from quizapp.exam import service as exam_service
from quizapp.extensions import db
from quizapp.models import (
    ApiToken,
    Assignment,
    Card,
    Question,
    QuizAttempt,
    QuizSet,
    Review,
    SchoolClass,
    User,
)
from quizapp.persistence.bank_queries import active_questions
from quizapp.progress import service as progress_service
from quizapp.study import service as study_service
from quizapp.teach import reports
from quizapp.teach import service as teach_service

# ---------------------------------------------------------------- tokens and the rate limit


def authenticate(authorization: str | None) -> ApiToken:
    """The live token an ``Authorization: Bearer ...`` header carries, else a 401."""
    scheme, _, raw = (authorization or "").partition(" ")
    token = auth_service.token_for(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise _unauthorized()
    return token


def _unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        "Send a valid personal access token as 'Authorization: Bearer qzp_...'. "
        "Make one on your Settings page.",
        headers={"WWW-Authenticate": 'Bearer realm="quizapp"'},
    )


def insufficient_scope(method: str, needed: Scope) -> ApiError:
    """The refusal of a call the token's scope does not cover (RFC 6750's
    ``insufficient_scope``, in the API's error shape)."""
    return ApiError(
        403,
        "insufficient_scope",
        f"This token is read-only: a {method} here needs a token with the "
        f"'{needed.value}' scope. Make a read-and-write token on your Settings page.",
        headers={
            "WWW-Authenticate": (
                f'Bearer realm="quizapp", error="insufficient_scope", scope="{needed.value}"'
            )
        },
    )


@dataclass(frozen=True)
class Usage:
    limit: int
    used: int
    resets_at: datetime

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def count_request(token: ApiToken, now: datetime, limit: int, window: timedelta) -> Usage:
    """Count one request against the token's fixed window, in one UPDATE ... RETURNING
    (atomic on SQLite and PostgreSQL alike, so every worker and instance counts
    together), and note when the token was last used."""
    since = now - window
    current = ApiToken.window_started_at > since
    row = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(
            window_count=case((current, ApiToken.window_count + 1), else_=1),
            window_started_at=case((current, ApiToken.window_started_at), else_=now),
            last_used_at=now,
        )
        .returning(ApiToken.window_count, ApiToken.window_started_at)
    ).one_or_none()
    db.session.commit()
    if row is None:  # revoked between reading the token and counting the request
        raise _unauthorized()
    used, started = row
    return Usage(limit, used, started + window)


# ---------------------------------------------------------------- the account and the bank


def me(user: User) -> schemas.Me:
    return schemas.Me(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role="teacher" if user.is_teacher else "student",
        timezone=user.timezone,
        answer_mode=user.answer_mode,
        desired_retention=user.desired_retention,
        new_per_day=user.new_per_day,
        max_reviews_per_day=user.max_reviews_per_day,
        study_categories=list(user.study_categories or []),
    )


def question_out(question: Question) -> schemas.QuestionOut:
    return schemas.QuestionOut(
        id=question.id,
        kind=question.kind,
        category=question.category,
        prompt=question.prompt,
        answer=question.answer,
        accepted=list(question.accepted or []),
        choices=list(choice_order(question.id, question.choices or [])),
        tags=question.tags,
        evidence=schemas.EvidenceOut(source=question.source, quote=question.evidence),
        more_evidence=[
            schemas.EvidenceOut(source=item["source"], quote=item["quote"])
            for item in question.more_evidence or []
        ],
        explanation=question.explanation,
        note=question.note,
        retired=question.is_retired,
    )


def bank_page(query: schemas.BankQuery) -> schemas.QuestionPage:
    selection = active_questions(
        search=query.q or "",
        category=query.category or "",
        kind=query.kind or "",
        tag=query.tag or "",
    )
    total = db.session.scalar(select(func.count()).select_from(selection.subquery())) or 0
    rows = db.session.scalars(
        selection.limit(query.per_page).offset((query.page - 1) * query.per_page)
    )
    return schemas.QuestionPage(
        items=[question_out(question) for question in rows],
        page=query.page,
        per_page=query.per_page,
        total=total,
        pages=max(math.ceil(total / query.per_page), 1),
    )


# ---------------------------------------------------------------- study


def _card_out(card: Card) -> schemas.CardOut:
    return schemas.CardOut(
        state=STATE_LABELS[card.state] if card.reps else "New",
        due=card.due,
        reps=card.reps,
        lapses=card.lapses,
        stability=card.stability,
        difficulty=card.difficulty,
    )


def next_card(user: User, now: datetime, after: str | None = None) -> schemas.NextCard:
    following = study_service.next_card(user, now, after)
    if following is None:
        return schemas.NextCard(card=None, next_due_at=study_service.upcoming_due(user, now))
    intervals = next_intervals(
        study_service.card_state(following.card), now, user.desired_retention
    )
    return schemas.NextCard(
        card=schemas.StudyCard(
            question=question_out(following.question),
            presentation=following.presentation,
            is_new=following.is_new,
            intervals=[
                schemas.NextInterval(
                    rating=int(rating),
                    label=rating.name,
                    seconds=int(interval.total_seconds()),
                )
                for rating, interval in intervals.items()
            ],
        ),
        next_due_at=None,
    )


def _review_out(review: Review, replayed: bool) -> schemas.ReviewOut:
    return schemas.ReviewOut(
        id=review.id,
        question_id=review.question_id,
        rating=review.rating,
        correct=review.correct,
        near_miss=review.near_miss,
        reviewed_at=review.reviewed_at,
        replayed=replayed,
        card=_card_out(review.card),
    )


def _replay(user: User, key: str, sent: schemas.ReviewIn) -> schemas.ReviewOut | None:
    earlier = study_service.review_for_key(user, key)
    if earlier is None:
        return None
    if (earlier.question_id, earlier.presentation, earlier.rating) != (
        sent.question_id,
        sent.presentation,
        sent.rating,
    ):
        raise ApiError(
            409,
            "idempotency_key_reused",
            "That Idempotency-Key was already used for another review. Use a new key.",
        )
    return _review_out(earlier, replayed=True)


def submit_review(
    user: User, key: str, sent: schemas.ReviewIn, now: datetime
) -> tuple[schemas.ReviewOut, bool]:
    """Record a review through the study service (card state and log in one
    transaction); returns it and whether it is new. A retry under the same key gets
    the first result back; a stale presentation is a 409."""
    replayed = _replay(user, key, sent)
    if replayed is not None:
        return replayed, False
    question = db.session.get(Question, sent.question_id)
    if question is None or question.is_retired:
        raise ApiError(404, "not_found", "No such question in the bank.")
    saved = study_service.record_review(
        user,
        question,
        sent.presentation,
        Rating(sent.rating),
        sent.response,
        sent.duration_ms,
        now,
        client_key=key,
    )
    if saved is not None:
        return _review_out(saved, replayed=False), True
    replayed = _replay(user, key, sent)  # a retry that raced the first request
    if replayed is not None:
        return replayed, False
    raise ApiError(
        409,
        "stale_presentation",
        "That card was already answered, or the presentation is not the one shown. "
        "Ask /study/next for the card again.",
    )


# ---------------------------------------------------------------- progress and exam

FORECAST_DAYS = 30


def _accuracy_out(row: Accuracy) -> schemas.CategoryAccuracy:
    return schemas.CategoryAccuracy(
        category=row.category,
        reviews=row.reviews,
        good_or_easy=row.good_or_easy,
        percent=row.percent,
    )


def progress(user: User, now: datetime) -> schemas.Progress:
    reviews = progress_service.review_rows(user)
    counts = reviews_per_day((moment for moment, _, _ in reviews), user.timezone)
    today = study_day(now, user.timezone)
    last_days = [today - timedelta(days=n) for n in range(FORECAST_DAYS - 1, -1, -1)]
    accuracy = accuracy_by_category(
        ((category, rating) for _, rating, category in reviews), CATEGORY_LABELS
    )
    dues = [card.due for card in study_service.started_cards(user)]
    mastery = mastery_by_category(progress_service.question_rows(user), CATEGORY_LABELS)
    return schemas.Progress(
        total_reviews=len(reviews),
        reviews_per_day=[schemas.DayCount(day=day, count=counts.get(day, 0)) for day in last_days],
        due_forecast=[
            schemas.DayCount(day=day, count=count)
            for day, count in due_forecast(dues, now, user.timezone, FORECAST_DAYS)
        ],
        accuracy=[_accuracy_out(row) for row in accuracy],
        overall_accuracy=_accuracy_out(overall_accuracy(accuracy)),
        mastery=[
            schemas.CategoryMastery(
                category=row.category,
                total=row.total,
                by_state={STATE_LABELS[state]: n for state, n in row.by_state.items()},
                by_stability={band: row.by_band[band] for band in BAND_LABELS},
            )
            for row in mastery
        ],
    )


def exam(user: User, now: datetime) -> schemas.ExamOut:
    plan = exam_service.plan_for(user)
    if plan is None:
        return schemas.ExamOut(plan=None, readiness=None)
    today = study_day(now, user.timezone)
    forecast = exam_service.exam_readiness(user, plan)
    return schemas.ExamOut(
        plan=schemas.PlanOut(
            exam_date=plan.exam_date,
            categories=list(plan.categories or []),
            tags=list(plan.tags or []),
            from_class=exam_service.own_plan(user) is None,
        ),
        readiness=schemas.ReadinessOut(
            percent=forecast.percent,
            days_left=days_left(today, plan.exam_date),
            active=is_active(today, plan.exam_date),
            scope_size=len(forecast.cards),
            not_started=forecast.not_started,
            weakest=[
                schemas.WeakCard(
                    question_id=card.question_id, recall_percent=round(card.recall * 100)
                )
                for card in forecast.weakest(10)
            ],
        ),
    )


# ---------------------------------------------------------------- assignments and quiz sets


def attempt_out(attempt: QuizAttempt) -> schemas.AttemptOut:
    return schemas.AttemptOut(
        number=attempt.attempt_number,
        started_at=attempt.started_at,
        finished_at=attempt.finished_at,
        score=attempt.score,
        out_of=attempt.total,
        late=attempt.late,
    )


def assignment_out(
    assignment: Assignment, status: str, attempts: list[QuizAttempt]
) -> schemas.AssignmentOut:
    return schemas.AssignmentOut(
        id=assignment.id,
        title=assignment.quiz_set.title,
        class_name=assignment.school_class.name,
        opens_at=assignment.opens_at,
        due_at=assignment.due_at,
        accept_late=assignment.accept_late,
        status=status,
        attempts_allowed=assignment.quiz_set.attempts_allowed,
        attempts=[attempt_out(attempt) for attempt in attempts],
    )


def quiz_set_out(quiz_set: QuizSet) -> schemas.QuizSetOut:
    return schemas.QuizSetOut(
        id=quiz_set.id,
        title=quiz_set.title,
        instructions=quiz_set.instructions,
        question_ids=list(quiz_set.question_ids or []),
        per_attempt=quiz_set.per_attempt,
        shuffle=quiz_set.shuffle,
        attempts_allowed=quiz_set.attempts_allowed,
        time_limit_minutes=quiz_set.time_limit_minutes,
        feedback=quiz_set.feedback,
        updated_at=quiz_set.updated_at,
    )


def class_out(school_class: SchoolClass, students: int, assignments: list[int]) -> schemas.ClassOut:
    return schemas.ClassOut(
        id=school_class.id,
        name=school_class.name,
        timezone=school_class.timezone,
        students=students,
        exam_date=school_class.exam_date,
        assignment_ids=assignments,
    )


def student_out(user: User) -> schemas.StudentOut:
    return schemas.StudentOut(id=user.id, username=user.username, display_name=user.display_name)


def finite(value: float | None) -> float | None:
    """A figure JSON can carry: None where it is undefined or not a finite number."""
    return value if value is not None and math.isfinite(value) else None


# ---------------------------------------------------------------- a teacher's reports


def _gradebook_entry(row: reports.GradebookRow) -> schemas.GradebookEntry:
    best = row.best
    return schemas.GradebookEntry(
        student=student_out(row.student),
        status=row.status,
        attempts=len(row.attempts),
        score=None if best is None else best.score,
        out_of=None if best is None else best.total,
        percent=row.percent,
        time_taken_seconds=row.seconds_taken,
        submitted_at=None if best is None else best.finished_at,
        late=None if best is None else best.late,
    )


def assignment_gradebook(assignment: Assignment) -> schemas.AssignmentGradebook:
    return schemas.AssignmentGradebook(
        assignment_id=assignment.id,
        title=assignment.quiz_set.title,
        rows=[_gradebook_entry(row) for row in reports.assignment_gradebook(assignment)],
    )


def class_gradebook(school_class: SchoolClass) -> schemas.ClassGradebookOut:
    book = reports.class_gradebook(school_class)
    return schemas.ClassGradebookOut(
        class_id=school_class.id,
        assignments=[
            schemas.AssignmentBrief(
                id=a.id, title=a.quiz_set.title, opens_at=a.opens_at, due_at=a.due_at
            )
            for a in book.assignments
        ],
        rows=[
            schemas.ClassGradebookRow(
                student=student_out(student),
                percents={
                    str(a.id): book.cells[(student.id, a.id)].percent for a in book.assignments
                },
                average_percent=book.student_average(student),
            )
            for student in book.students
        ],
        assignment_averages={str(a.id): book.assignment_average(a) for a in book.assignments},
    )


def item_analysis(assignment: Assignment) -> schemas.ItemAnalysis:
    rows, attempts = reports.item_analysis(assignment)
    return schemas.ItemAnalysis(
        assignment_id=assignment.id,
        attempts=attempts,
        items=[
            schemas.ItemOut(
                question_id=row.stats.question_id,
                prompt=row.question.prompt if row.question is not None else None,
                answered=row.stats.answered,
                facility=finite(row.stats.facility),
                discrimination=finite(row.stats.discrimination),
                upper_lower=finite(row.stats.upper_lower),
                common_wrong=[
                    schemas.WrongAnswer(response=response, count=count)
                    for response, count in row.stats.common_wrong
                ],
                flags=list(row.stats.flags),
            )
            for row in rows
        ],
    )


def classes(teacher: User) -> schemas.ClassList:
    items = []
    for school_class in teach_service.classes_of(teacher):
        items.append(
            class_out(
                school_class,
                len(teach_service.members(school_class)),
                [a.id for a in teach_service.class_assignments(school_class)],
            )
        )
    return schemas.ClassList(items=items)
