"""Which questions an export holds, and the file each format makes of them.

The formatting is the core's (``quizapp.core.exports``); only the Anki package
is written here, at the edge (``apkg``), because genanki builds it in a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.core.bank import BankQuestion
from quizapp.core.exports.gift import to_gift
from quizapp.core.exports.moodle_xml import to_moodle_xml
from quizapp.core.exports.tabular import to_csv, to_tsv
from quizapp.exports.apkg import to_apkg
from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt
from quizapp.persistence.bank_queries import active_questions, has_tag


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    mimetype: str


FORMATS = {
    format.key: format
    for format in (
        Format("apkg", "Anki (.apkg)", "apkg", "application/octet-stream"),
        Format("gift", "Moodle GIFT", "gift.txt", "text/plain"),
        Format("moodle-xml", "Moodle XML", "xml", "application/xml"),
        Format("csv", "CSV", "csv", "text/csv"),
        Format("tsv", "Quizlet TSV", "tsv", "text/tab-separated-values"),
    )
}


def build(
    questions: Sequence[BankQuestion], key: str, titles: Mapping[str, str], now: datetime
) -> bytes:
    """The file of ``questions`` in the format ``key`` (one of ``FORMATS``)."""
    if key == "apkg":
        return to_apkg(questions, titles, now)
    if key == "gift":
        return to_gift(questions, titles).encode()
    if key == "moodle-xml":
        return to_moodle_xml(questions, titles)
    if key == "csv":
        return to_csv(questions).encode()
    if key == "tsv":
        return to_tsv(questions).encode()
    raise ValueError(f"unknown export format {key!r}")


def bank_questions(
    search: str = "", category: str = "", kind: str = "", tag: str = ""
) -> list[BankQuestion]:
    """The shipped bank's active questions under the bank browser's filter."""
    query = active_questions(search=search, category=category, kind=kind, tag=tag)
    return [row.to_core() for row in db.session.scalars(query)]


def is_bank_tag(tag: str) -> bool:
    """Whether a question of the shipped bank carries ``tag``: an export may be filtered,
    and so named, only by such a tag."""
    return has_tag(tag)


def missed_questions(attempt: QuizAttempt) -> list[BankQuestion]:
    """The questions of a finished attempt not answered right (unanswered ones too)."""
    right = {answer.question_id for answer in attempt.answers if answer.correct}
    by_id = {answer.question_id: answer.question for answer in attempt.answers}
    missing = [qid for qid in attempt.question_ids if qid not in by_id]
    if missing:
        by_id.update({qid: db.session.get(Question, qid) for qid in missing})
    return [
        by_id[qid].to_core()
        for qid in dict.fromkeys(attempt.question_ids)
        if qid not in right and by_id.get(qid) is not None
    ]
