"""The source texts the bank cites, read once per process, and evidence in context."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from quizapp.core.bank import Evidence
from quizapp.core.sources import Passage, Source, passage_around
from quizapp.models import Question
from quizapp.persistence.bank_files import read_sources


def source_texts() -> dict[str, Source]:
    """The texts by key; they change only with a deploy, so one read per process."""
    cached = current_app.extensions.get("quizapp_sources")
    if cached is None:
        cached = read_sources(Path(current_app.config["BANK_DIR"]) / "sources")
        current_app.extensions["quizapp_sources"] = cached
    return cached


def evidence_in_context(
    question: Question,
) -> list[tuple[Source | None, Evidence, Passage | None]]:
    """Each evidence quote with its source and the paragraph it stands in (none for a
    teacher's own question, which quotes no source)."""
    if question.is_own:
        return []
    sources = source_texts()
    found = []
    for item in question.to_core().all_evidence:
        source = sources.get(item.source)
        passage = passage_around(source.text, item.quote) if source else None
        found.append((source, item, passage))
    return found
