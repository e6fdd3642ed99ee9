"""Control characters no text here may hold, whether it comes in a form or in a file.

A NUL byte is refused by PostgreSQL in any text column (and kept by SQLite), and the
other C0 and C1 controls (``\\x1b``, ``\\x85``...) are invisible on a page yet change
what a name or a prompt is. Tab and line breaks are what people legitimately type.
The request guard (``quizapp/web/guards.py``) and every reader of an uploaded file
(rosters, question imports) use this one definition, so they cannot disagree.
"""

from __future__ import annotations

import re

#: Control characters people legitimately type: tab and line breaks.
ALLOWED_CONTROLS = frozenset("\t\n\r")

#: Unicode's category Cc (the C0 controls, DEL and the C1 controls U+0080-U+009F; fixed by
#: Unicode's stability policy) less ``ALLOWED_CONTROLS``, as one pattern: every request's
#: text goes through it, and a regular expression reads a form in microseconds where a
#: loop over its characters took tens.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: The line breaks an editor or a spreadsheet counts lines by (``str.splitlines`` also
#: breaks at ``\\x85``, ``\\x0b``, ``\\x1c``... and would hide those very characters).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTER.search(text) is not None


def control_characters_by_line(text: str) -> list[tuple[int, str]]:
    """Each line (from 1, as an editor numbers them) holding a control character, with
    the first one it holds named (``describe``)."""
    return [
        (number, describe(line))
        for number, line in enumerate(_LINE_BREAK.split(text), 1)
        if has_control_character(line)
    ]


def describe(text: str) -> str:
    """The first control character in ``text``, named for a message: "NUL (U+0000)"."""
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return ""
    code = ord(found.group())
    return f"{_NAMES[code]} (U+{code:04X})" if code in _NAMES else f"U+{code:04X}"


#: Names a teacher may recognise in an error message; the rest go by their code point.
_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}
