"""SQLAlchemy 2.0 typed models. Every change here needs a migration in ``migrations/``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_login import UserMixin
from fsrs import State
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.core.assignments import AttemptSummary
from quizapp.core.bank import BankQuestion, Evidence
from quizapp.core.scheduling import CardState
from quizapp.core.scopes import DEFAULT_SCOPE
from quizapp.extensions import db


def utcnow() -> datetime:
    """Now, in UTC, from the app's clock.

    Every "now" in the app comes from here, so a ``CLOCK`` setting (a callable
    returning an aware UTC datetime) moves the whole app in time: tests pin it
    and never depend on the wall clock or the machine's time zone.
    """
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    return clock() if clock is not None else datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite keeps no zone and hands back naive values; FSRS and the day
    arithmetic need aware ones, so values are stored as UTC and read back as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Question(db.Model):
    """A bank question as stored: synced from the YAML files by its stable id.

    Rows are never deleted: a question removed from the files is retired, so
    the progress that refers to it survives.
    """

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[Any] = mapped_column(JSON)
    accepted: Mapped[list[str]] = mapped_column(JSON, default=list)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(120))
    evidence: Mapped[str] = mapped_column(Text)
    more_evidence: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    file: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set for a teacher's own (imported) question: it quotes no source, and only its
    #: teacher sees it outside the quiz sets it is in. None for the shipped bank.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    tag_rows: Mapped[list[QuestionTag]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_own(self) -> bool:
        """A teacher's own question, not one of the bank's grounded ones."""
        return self.owner_id is not None

    def to_core(self) -> BankQuestion:
        """The pure-core question, so views can use the core's logic on it."""
        answer = tuple(self.answer) if isinstance(self.answer, list) else self.answer
        return BankQuestion(
            id=self.id,
            kind=self.kind,
            category=self.category,
            prompt=self.prompt,
            answer=answer,
            source=self.source,
            evidence=self.evidence,
            explanation=self.explanation,
            tags=tuple(self.tags),
            accepted=tuple(self.accepted or ()),
            choices=tuple(self.choices or ()),
            more_evidence=tuple(Evidence(**item) for item in self.more_evidence or ()),
            note=self.note,
            file=self.file,
            grounded=self.owner_id is None,
        )


class QuestionTag(db.Model):
    """One tag of one question, a row each so tags can be filtered in SQL."""

    __tablename__ = "question_tags"

    question_id: Mapped[str] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)

    question: Mapped[Question] = relationship(back_populates="tag_rows")


ROLES = ("student", "teacher")


class User(UserMixin, db.Model):
    """An account. Students study; teachers (made by the CLI) will also teach."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="student")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    max_reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    study_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer_mode: Mapped[str] = mapped_column(String(8), default="type")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Every session carries the version it began with; bumping it ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def get_id(self) -> str:
        """Flask-Login's key for the session: the id and the session version, so a
        copied cookie stops working once the version moves on (sign-out, new password)."""
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        """Sign the account out everywhere: every session made before this is refused."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_teacher(self) -> bool:
        return self.role == "teacher"


class Card(db.Model):
    """One student's memory state for one question (FSRS), rebuilt-able from its reviews."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship()

    @classmethod
    def waiting(cls, user_id: int, question_id: str, now: datetime) -> Card:
        """A card put in a student's deck but not studied yet: it is served as a new card
        before the rest (sent from a quiz's misses, or an assignment's questions)."""
        return cls(
            user_id=user_id,
            question_id=question_id,
            state=State.Learning.value,
            step=0,
            due=now,
            reps=0,
            lapses=0,
            created_at=now,
        )

    def memory_state(self) -> CardState | None:
        """The FSRS state for the core; None for a card in the deck but never reviewed."""
        if self.reps == 0:
            return None
        return CardState(
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    reviews: Mapped[list[Review]] = relationship(
        back_populates="card", order_by="Review.reviewed_at", cascade="all, delete-orphan"
    )


class Review(db.Model):
    """One answer to one card: the append-only log the card's state is rebuilt from.

    ``presentation`` names the showing of the card that was answered; it is
    unique per card, so a form submitted twice records one review.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("card_id", "presentation"),
        Index("ix_reviews_user_time", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    presentation: Mapped[str] = mapped_column(String(80))
    rating: Mapped[int] = mapped_column(Integer)
    was_new: Mapped[bool] = mapped_column(Boolean, default=False)
    response: Mapped[str | None] = mapped_column(Text)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    near_miss: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    desired_retention: Mapped[float] = mapped_column(Float)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    card: Mapped[Card] = relationship(back_populates="reviews")


class StudyDay(db.Model):
    """A day on which a student reviewed (in their time zone at the time), with how many
    reviews and the length of the unbroken run of study days ending on it: kept with each
    review and undo, so the streak is one row to read, however long the history."""

    __tablename__ = "study_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reviews: Mapped[int] = mapped_column(Integer)
    #: Days in a row with reviews, ending on this one: the day before's run, plus one.
    run: Mapped[int] = mapped_column(Integer)


class QuizAttempt(db.Model):
    """One sitting of a self-test: the questions drawn, in order, and how it went.

    The questions and the settings are frozen when the quiz starts, so a later
    edit to the bank never changes an attempt already taken.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_user_started", "user_id", "started_at"),
        UniqueConstraint("assignment_id", "user_id", "attempt_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    feedback: Mapped[str] = mapped_column(String(10), default="each")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[int | None] = mapped_column(Integer)
    # Set for an assignment's attempts: which one, the how-many-th, and the
    # server's deadline when the set has a time limit. The unique number per
    # assignment and student is what makes the attempt limit hold under replay.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    attempt_number: Mapped[int | None] = mapped_column(Integer)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    answers: Mapped[list[QuizAnswer]] = relationship(
        back_populates="attempt", order_by="QuizAnswer.position", cascade="all, delete-orphan"
    )
    assignment: Mapped[Assignment | None] = relationship()
    user: Mapped[User] = relationship()

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def summary(self) -> AttemptSummary:
        """What the core's assignment rules need to know of this attempt."""
        return AttemptSummary(self.is_finished, self.late, self.score, self.total)


class QuizAnswer(db.Model):
    """The answer given to one question of an attempt (one per position)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    response: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(Boolean, default=False)
    near_miss: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class ExamPlan(db.Model):
    """A student's exam: its date and scope drive readiness and revision pacing."""

    __tablename__ = "exam_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    exam_date: Mapped[date] = mapped_column(Date)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


FEEDBACK_MODES = ("each", "end", "after_due")


class SchoolClass(db.Model):
    """A teacher's class: its members share assignments and, if set, an exam.

    The join code lets students add themselves; the teacher can rotate it (the
    old one stops working) or switch joining off.
    """

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    exam_date: Mapped[date | None] = mapped_column(Date)
    exam_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    exam_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    teacher: Mapped[User] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="school_class", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    """A student in a class; a student may belong to several."""

    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class QuizSet(db.Model):
    """A teacher's named set of bank questions with the rules for taking it.

    Attempts copy the questions drawn and these settings when they start, so
    editing a set never changes an attempt already taken.
    """

    __tablename__ = "quiz_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    instructions: Mapped[str] = mapped_column(Text, default="")
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    per_attempt: Mapped[int | None] = mapped_column(Integer)
    shuffle: Mapped[bool] = mapped_column(Boolean, default=True)
    attempts_allowed: Mapped[int | None] = mapped_column(Integer, default=1)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[str] = mapped_column(String(10), default="end")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(db.Model):
    """A quiz set given to a class, open from one moment and due at another."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    quiz_set_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_sets.id", ondelete="CASCADE"), index=True
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accept_late: Mapped[bool] = mapped_column(Boolean, default=True)
    add_to_deck: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school_class: Mapped[SchoolClass] = relationship()
    quiz_set: Mapped[QuizSet] = relationship()


class ApiToken(db.Model):
    """A personal access token for the JSON API: only its SHA-256 hash is kept.

    The token itself is shown once, when it is made. ``prefix`` is its first few
    characters, so its owner can tell tokens apart; the window columns count the
    requests made with it in the current rate-limit window, in the database, so
    every worker and instance counts them together. ``scope`` says whether it may
    only read or also write (the API's routes each name the scope they need).
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: ``read`` or ``write`` (``quizapp.core.scopes.Scope``); new tokens are read-only.
    scope: Mapped[str] = mapped_column(
        String(8), default=DEFAULT_SCOPE.value, server_default=DEFAULT_SCOPE.value
    )

    user: Mapped[User] = relationship()


class ApiReviewKey(db.Model):
    """The client's idempotency key for a review sent through the API, unique per user:
    written in the same transaction as the review, so a retried request finds the review
    it already made instead of making a second one."""

    __tablename__ = "api_review_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review: Mapped[Review] = relationship()


class LiveGame(db.Model):
    """A live class game once played: its questions, players' final standings and, for a
    class, the assignment its players' attempts were filed under (so the gradebook and
    item analysis read it like any other). ``session_key`` is unique per game played,
    so saving the end twice (a double click on two workers) keeps one row."""

    __tablename__ = "live_games"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_key: Mapped[str] = mapped_column(String(40), unique=True)
    pin: Mapped[str] = mapped_column(String(6))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(120))
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    seconds: Mapped[int] = mapped_column(Integer)
    team_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The final leaderboard: nickname, score, correct, team and account (if any) per player.
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
