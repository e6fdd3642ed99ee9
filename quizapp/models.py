"""SQLAlchemy 2.0 typed models. Every change here needs a migration in ``migrations/``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.core.bank import Evidence
from quizapp.core.bank import Question as BankQuestion
from quizapp.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tag_rows: Mapped[list[QuestionTag]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def to_core(self) -> BankQuestion:
        """The pure-core question, so views can use the core's logic on it."""
        answer = tuple(self.answer) if isinstance(self.answer, list) else self.answer
        return BankQuestion(
            id=self.id, kind=self.kind, category=self.category, prompt=self.prompt,
            answer=answer, source=self.source, evidence=self.evidence,
            explanation=self.explanation, tags=tuple(self.tags),
            accepted=tuple(self.accepted or ()), choices=tuple(self.choices or ()),
            more_evidence=tuple(Evidence(**item) for item in self.more_evidence or ()),
            note=self.note, file=self.file,
        )


class QuestionTag(db.Model):
    """One tag of one question, a row each so tags can be filtered in SQL."""

    __tablename__ = "question_tags"

    question_id: Mapped[str] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)

    question: Mapped[Question] = relationship(back_populates="tag_rows")
