"""The API's request and response bodies as pydantic models: spectree validates every
request and response against them and generates the OpenAPI document from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from quizapp.core.bank import CATEGORIES, KINDS

#: Text without control characters, C0 and C1 (tab and line breaks allowed), as the guards
#: require (Unicode category Cc).
NO_CONTROLS = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
#: What a question id looks like (``web.guards.QuestionIdConverter`` routes only these).
QUESTION_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
#: A client's idempotency key: letters, digits and ``-_.:``, as UUIDs and ULIDs are.
IDEMPOTENCY_KEY = r"^[A-Za-z0-9_.:-]+$"

Text = Annotated[str, Field(pattern=NO_CONTROLS)]
#: The bank's categories and kinds, from the core (a tuple subscript is a Literal of each).
Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- errors


class FieldProblem(BaseModel):
    location: str = Field(description="Where in the request: a dotted path to the field.")
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(
        description="A stable, machine-readable code, such as `not_found` or `rate_limited`."
    )
    message: str = Field(description="What went wrong, for people.")
    details: list[FieldProblem] | None = Field(
        default=None, description="For `invalid_request`: each field that is wrong."
    )


class ErrorBody(BaseModel):
    """Every error inside /api has this one shape, whatever its status."""

    error: ErrorDetail


# ---------------------------------------------------------------- the account


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    role: Literal["student", "teacher"]
    timezone: str
    answer_mode: str
    desired_retention: float
    new_per_day: int
    max_reviews_per_day: int
    study_categories: list[str]


# ---------------------------------------------------------------- the bank


class BankQuery(Strict):
    category: Category | None = None
    kind: Kind | None = None
    tag: Annotated[str, Field(max_length=60, pattern=NO_CONTROLS)] | None = None
    q: Annotated[str, Field(max_length=200, pattern=NO_CONTROLS)] | None = Field(
        default=None, description="Words that must all occur in the question's text."
    )
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=25, ge=1, le=100)


class EvidenceOut(BaseModel):
    source: str
    quote: str


class QuestionOut(BaseModel):
    id: str
    kind: Kind
    category: Category
    prompt: str
    answer: str | list[str] = Field(description="The answer; for `order`, events in order.")
    accepted: list[str] = Field(description="Other answers accepted as right.")
    choices: list[str] = Field(
        description="For `choice`, the options, shuffled in an order fixed per question (the "
        "Anki export's order): present them as given; do not sort them."
    )
    tags: list[str]
    evidence: EvidenceOut
    more_evidence: list[EvidenceOut]
    explanation: str
    note: str | None = Field(description="Where the source texts get history wrong.")
    retired: bool


class QuestionPage(BaseModel):
    items: list[QuestionOut]
    page: int
    per_page: int
    total: int
    pages: int


# ---------------------------------------------------------------- study


class NextQuery(Strict):
    after: Annotated[str, Field(max_length=120, pattern=QUESTION_ID)] | None = Field(
        default=None,
        description="The question just answered: another card comes first if one is due "
        "(as the study page does).",
    )


class NextInterval(BaseModel):
    rating: int = Field(ge=1, le=4)
    label: Literal["Again", "Hard", "Good", "Easy"]
    seconds: int = Field(description="How long until the card is due again after this rating.")


class StudyCard(BaseModel):
    question: QuestionOut
    presentation: str = Field(description="Send it back with the review.")
    is_new: bool
    intervals: list[NextInterval]


class NextCard(BaseModel):
    card: StudyCard | None = Field(description="None when nothing is due and no new card waits.")
    next_due_at: datetime | None = Field(description="When the next started card comes due.")


class ReviewIn(Strict):
    question_id: Annotated[str, Field(max_length=120, pattern=QUESTION_ID)]
    presentation: Annotated[str, Field(max_length=200, pattern=NO_CONTROLS)] = Field(
        description="The `presentation` of the card as `/study/next` gave it."
    )
    rating: int = Field(ge=1, le=4, description="1 Again, 2 Hard, 3 Good, 4 Easy.")
    response: Annotated[str, Field(max_length=2000, pattern=NO_CONTROLS)] | None = Field(
        default=None, description="The answer typed, if any: the server grades it."
    )
    duration_ms: int | None = Field(default=None, ge=0, le=600_000)


class IdempotencyHeaders(BaseModel):
    idempotency_key: Annotated[str, Field(min_length=1, max_length=80, pattern=IDEMPOTENCY_KEY)] = (
        Field(
            alias="Idempotency-Key",
            description="A key of the client's choosing, unique per review (a UUID will do). "
            "Sending the same review again with it returns the first result, never a "
            "second review.",
        )
    )


class CardOut(BaseModel):
    state: Literal["New", "Learning", "Review", "Relearning"]
    due: datetime
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None


class ReviewOut(BaseModel):
    id: int
    question_id: str
    rating: int
    correct: bool | None = Field(description="The server's grading of `response`, if one was sent.")
    near_miss: bool
    reviewed_at: datetime
    replayed: bool = Field(description="True when this answers a retry of an earlier request.")
    card: CardOut


# ---------------------------------------------------------------- progress and exam


class DayCount(BaseModel):
    day: date
    count: int


class CategoryAccuracy(BaseModel):
    category: str
    reviews: int
    good_or_easy: int
    percent: int | None


class CategoryMastery(BaseModel):
    category: str
    total: int
    by_state: dict[str, int]
    by_stability: dict[str, int]


class Progress(BaseModel):
    total_reviews: int
    reviews_per_day: list[DayCount] = Field(description="The last 30 days, today last.")
    due_forecast: list[DayCount] = Field(description="The next 30 days; overdue count on today.")
    accuracy: list[CategoryAccuracy]
    overall_accuracy: CategoryAccuracy
    mastery: list[CategoryMastery]


class PlanOut(BaseModel):
    exam_date: date
    categories: list[str]
    tags: list[str]
    from_class: bool


class WeakCard(BaseModel):
    question_id: str
    recall_percent: int


class ReadinessOut(BaseModel):
    percent: int
    days_left: int
    active: bool
    scope_size: int
    not_started: int
    weakest: list[WeakCard]


class ExamOut(BaseModel):
    plan: PlanOut | None
    readiness: ReadinessOut | None


# ---------------------------------------------------------------- assignments and quiz sets


class AttemptOut(BaseModel):
    number: int | None
    started_at: datetime
    finished_at: datetime | None
    score: int | None
    out_of: int
    late: bool


class AssignmentOut(BaseModel):
    id: int
    title: str
    class_name: str
    opens_at: datetime
    due_at: datetime
    accept_late: bool
    status: str
    attempts_allowed: int | None
    attempts: list[AttemptOut]


class AssignmentList(BaseModel):
    items: list[AssignmentOut]


class QuizSetOut(BaseModel):
    id: int
    title: str
    instructions: str
    question_ids: list[str]
    per_attempt: int | None
    shuffle: bool
    attempts_allowed: int | None
    time_limit_minutes: int | None
    feedback: str
    updated_at: datetime


class QuizSetList(BaseModel):
    items: list[QuizSetOut]


class ClassOut(BaseModel):
    id: int
    name: str
    timezone: str
    students: int
    exam_date: date | None
    assignment_ids: list[int]


class ClassList(BaseModel):
    items: list[ClassOut]


class StudentOut(BaseModel):
    id: int
    username: str
    display_name: str


class GradebookEntry(BaseModel):
    student: StudentOut
    status: str
    attempts: int
    score: int | None
    out_of: int | None
    percent: int | None
    time_taken_seconds: int | None
    submitted_at: datetime | None
    late: bool | None


class AssignmentGradebook(BaseModel):
    assignment_id: int
    title: str
    rows: list[GradebookEntry]


class ClassGradebookRow(BaseModel):
    student: StudentOut
    percents: dict[str, int | None] = Field(description="Best percent by assignment id.")
    average_percent: int | None


class AssignmentBrief(BaseModel):
    id: int
    title: str
    opens_at: datetime
    due_at: datetime


class ClassGradebookOut(BaseModel):
    class_id: int
    assignments: list[AssignmentBrief]
    rows: list[ClassGradebookRow]
    assignment_averages: dict[str, int | None]


class WrongAnswer(BaseModel):
    response: str
    count: int


class ItemOut(BaseModel):
    question_id: str
    prompt: str | None
    answered: int
    facility: float | None
    discrimination: float | None
    upper_lower: float | None
    common_wrong: list[WrongAnswer]
    flags: list[str]


class ItemAnalysis(BaseModel):
    assignment_id: int
    attempts: int
    items: list[ItemOut]
