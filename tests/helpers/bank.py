"""A small bank to check and read: one source text and a well-formed question to vary."""

from __future__ import annotations

from typing import Any

#: The one source text of the small bank (as the file ``sources/text.txt``).
SOURCE = (
    "Lenin returned from exile in Switzerland.\n"
    "A meeting decided to stage a revolution by a 10 to 2 majority.\n"
    "At 9.00pm the guns fired. It grew from 26,000 members to 200,000 members.\n"
)


def good_question(**changes: Any) -> dict[str, Any]:
    """A question that passes every check; ``changes`` alter fields (None drops one)."""
    question: dict[str, Any] = {
        "id": "fig-lenin-exile",
        "kind": "short",
        "category": "key-figures",
        "tags": ["lenin"],
        "prompt": "Who returned from exile in Switzerland?",
        "answer": "Lenin",
        "accepted": ["Vladimir Lenin"],
        "source": "text",
        "evidence": "Lenin returned from exile in Switzerland.",
        "explanation": "Lenin came back in April 1917.",
    }
    question.update(changes)
    return {key: value for key, value in question.items() if value is not None}
