"""Keeping the database's questions in step with the bank files.

The sync is idempotent and keyed by the stable question id: a new id is added,
an edited question is updated in place (so every student's progress on it is
kept), a question gone from the files is retired, never deleted, and one that
comes back is restored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.core.bank import Bank, BankQuestion
from quizapp.models import Question, QuestionTag, utcnow


@dataclass
class SyncReport:
    """What a sync changed, by question id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.restored)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.retired)} retired, {len(self.restored)} restored, "
            f"{self.unchanged} unchanged"
        )


def search_text_for(question: BankQuestion) -> str:
    """Everything a search should find the question by, folded to lower case."""
    parts = [
        question.id,
        question.prompt,
        question.answer_text,
        question.explanation,
        question.note or "",
        " ".join(question.tags),
        " ".join(question.accepted),
        " ".join(question.choices),
    ]
    return " ".join(parts).casefold()


def sync_bank(session: Session, bank: Bank) -> SyncReport:
    """Bring the questions table in line with ``bank``; the caller commits."""
    report = SyncReport()
    bank_rows = select(Question).where(Question.owner_id.is_(None))  # never a teacher's own
    existing = {row.id: row for row in session.scalars(bank_rows)}
    now = utcnow()
    for question in bank.questions:
        row = existing.pop(question.id, None)
        if row is None:
            row = Question(id=question.id, created_at=now)
            _copy_into(row, question, now)
            session.add(row)
            report.added.append(question.id)
            continue
        if row.retired_at is not None:
            row.retired_at = None
            report.restored.append(question.id)
        if row.content_hash != question.content_hash:
            _copy_into(row, question, now)
            report.updated.append(question.id)
        elif question.id not in report.restored:
            report.unchanged += 1
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = now
            report.retired.append(row.id)
    return report


def _copy_into(row: Question, question: BankQuestion, now: object) -> None:
    data = question.to_dict()
    for name in (
        "kind",
        "category",
        "prompt",
        "answer",
        "accepted",
        "choices",
        "source",
        "evidence",
        "more_evidence",
        "explanation",
        "note",
    ):
        setattr(row, name, data[name])
    row.file = question.file
    row.search_text = search_text_for(question)
    row.content_hash = question.content_hash
    row.updated_at = now
    wanted = set(question.tags)
    row.tag_rows = [tag for tag in row.tag_rows if tag.tag in wanted]
    have = {tag.tag for tag in row.tag_rows}
    row.tag_rows.extend(QuestionTag(tag=tag) for tag in question.tags if tag not in have)
