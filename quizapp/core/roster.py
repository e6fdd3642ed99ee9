"""Class rosters a teacher uploads as CSV: read, check every row, report every problem at once.

A roster is all or nothing. Creating half a class and then stopping on row 17
leaves accounts the teacher has to find and undo, so nothing is returned until
the whole file is clean; and every problem is reported in one go, with the row
number a spreadsheet shows, so one round of fixes is enough.

A control character anywhere in the file (a NUL byte, or a C1 control such as
``\\x85``) is refused with its row, as the request guard refuses one in a form field.

Usernames follow the sign-up form's rule exactly and are lower-cased, as the
app stores and looks them up lower-cased (see quizapp/auth/views.py).
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import re
import secrets
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from quizapp.core.controls import describe, has_control_character

#: Mirrors quizapp/auth/forms.py: RegisterForm's Length(3, 40) and USERNAME_RULE's characters.
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,40}$"
USERNAME_RULE_TEXT = "use 3 to 40 letters, digits, dots, hyphens or underscores"
#: Mirrors the display name's Length(1, 80) on the sign-up and settings forms.
MAX_DISPLAY_NAME = 80
#: A class, not a school: larger files are almost certainly the wrong export.
MAX_ROWS = 500
REQUIRED_COLUMNS = ("username", "display_name")

#: Lower-case letters and digits without look-alikes (0/o, 1/l/i), easy to read out and type.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105  (an alphabet, not a password)
PASSWORD_GROUPS = 3
PASSWORD_GROUP_LENGTH = 4

_USERNAME = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True)
class RosterRow:
    """One student to create; ``username`` is stripped and lower-cased."""

    line: int
    username: str
    display_name: str


@dataclass(frozen=True)
class RosterError:
    """One problem, tied to the row a spreadsheet shows, or to the whole file (line None)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"File: {self.message}" if self.line is None else f"Row {self.line}: {self.message}"


class RosterInvalid(ValueError):
    """The roster cannot be used; ``errors`` holds every problem found, in file order."""

    errors: tuple[RosterError, ...]

    def __init__(self, errors: Sequence[RosterError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def parse_roster(data: bytes, existing_usernames: Collection[str] = ()) -> list[RosterRow]:
    """The students in an uploaded roster, or RosterInvalid listing everything wrong with it.

    ``existing_usernames`` are accounts that already exist; a roster row
    reusing one (in any case) is an error rather than a silent takeover.
    """
    records = _records(_decode(data))
    header = next(records, None)
    if header is None:
        raise RosterInvalid(
            [
                RosterError(
                    None,
                    "the file is empty; the first row must name "
                    "the columns username and display_name",
                )
            ]
        )
    if control := _control_errors(*header):
        raise RosterInvalid(control)
    columns = _columns(header[1])
    # Read one row past the limit and stop: a huge file costs no more than a full one.
    rows = list(islice(records, MAX_ROWS + 1))
    errors = _size_errors(len(rows))
    if len(rows) > MAX_ROWS:
        raise RosterInvalid(errors)
    students, row_errors = _check_rows(rows, columns, existing_usernames)
    errors += row_errors
    if errors:
        raise RosterInvalid(errors)
    return students


def one_time_password(rng: random.Random | None = None) -> str:
    """A 12-character first password grouped for reading aloud, like "abcd-efgh-jkmn".

    Drawn with ``secrets`` unless a seeded ``rng`` is given (for tests). The
    alphabet has no look-alikes, so a password copied from a printed list works
    first time.
    """
    choice = rng.choice if rng is not None else secrets.choice
    groups = (
        "".join(choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def _decode(data: bytes) -> str:
    """Strict UTF-8, a leading BOM (as Excel writes) removed; anything else is refused.

    Guessing another encoding would turn "Jörg" into "JÃ¶rg" on the class list
    without anyone noticing, so the teacher is told how to save the file instead.
    """
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        position = error.start + len(data) - len(body)
        raise RosterInvalid(
            [
                RosterError(
                    None,
                    f"not UTF-8 text (byte 0x{data[position]:02x} at position {position}); "
                    "save the roster as CSV UTF-8",
                )
            ]
        ) from error


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV records with the line each starts on (a quoted cell may span lines).

    A record of nothing but white space is blank, unless that white space is a control
    character (``\\x1c`` and ``\\x85`` are white space to ``str.strip``): that is refused.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells) or has_control_character("".join(cells)):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise RosterInvalid(
            [RosterError(None, f"not readable as CSV near line {start} ({error})")]
        ) from error


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Where each required column is; a missing one is a file error naming what was found."""
    names = [cell.strip().casefold() for cell in header]
    found = {name: names.index(name) for name in REQUIRED_COLUMNS if name in names}
    missing = [name for name in REQUIRED_COLUMNS if name not in found]
    if missing:
        raise RosterInvalid([RosterError(None, _missing_columns_message(missing, header))])
    return found


def _missing_columns_message(missing: Sequence[str], header: Sequence[str]) -> str:
    listed = ", ".join(f"'{cell.strip()}'" for cell in header)
    plural = "s" if len(missing) > 1 else ""
    message = (
        f"missing column{plural} {' and '.join(repr(name) for name in missing)}; "
        f"the first row has {listed}"
    )
    if any(";" in cell or "\t" in cell for cell in header):
        message += " (the file seems to use semicolons or tabs; save it as CSV UTF-8)"
    return message


def _size_errors(count: int) -> list[RosterError]:
    if count == 0:
        return [RosterError(None, "no students below the header row")]
    if count > MAX_ROWS:
        return [
            RosterError(
                None,
                f"more than {MAX_ROWS} students, the limit for one class; "
                "split the roster into smaller files",
            )
        ]
    return []


def _control_errors(line: int, cells: Sequence[str]) -> list[RosterError]:
    """A row holding a control character anywhere (an ignored column too), as the form
    guard (``quizapp/web/guards.py``) refuses one in any field: a NUL byte would fail
    on PostgreSQL, and any other would be stored unseen in a name."""
    text = "".join(cells)
    if not has_control_character(text):
        return []
    return [
        RosterError(
            line,
            f"holds the control character {describe(text)}; "
            "remove it (only tabs and line breaks may stand in a roster)",
        )
    ]


def _check_rows(
    rows: Sequence[tuple[int, list[str]]], columns: dict[str, int], existing: Collection[str]
) -> tuple[list[RosterRow], list[RosterError]]:
    """Every row's problems, checking usernames against earlier rows and existing accounts.

    A row with a control character reports only that: its other messages would quote
    a name the teacher cannot see the fault in.
    """
    taken = {name.strip().lower() for name in existing}
    first_line: dict[str, int] = {}
    students: list[RosterRow] = []
    errors: list[RosterError] = []
    for line, raw in rows:
        cells = [cell.strip() for cell in raw]
        username, display_name = (_cell(cells, columns[name]) for name in REQUIRED_COLUMNS)
        row_errors = _control_errors(line, raw) or [
            RosterError(line, message)
            for message in _row_messages(username, display_name, first_line, taken)
        ]
        first_line.setdefault(username.lower(), line)
        errors += row_errors
        students.append(RosterRow(line, username.lower(), display_name))
    return students, errors


def _row_messages(
    username: str, display_name: str, first_line: dict[str, int], taken: Collection[str]
) -> list[str]:
    messages = _username_errors(username) or _clash_errors(username, first_line, taken)
    return messages + _display_name_errors(display_name)


def _cell(cells: Sequence[str], index: int) -> str:
    """The cell at ``index``, or "" when a short row stops before it."""
    return cells[index] if index < len(cells) else ""


def _username_errors(username: str) -> list[str]:
    if not username:
        return ["missing username"]
    if not _USERNAME.fullmatch(username):
        return [f"username {username!r} is not allowed; {USERNAME_RULE_TEXT}"]
    return []


def _display_name_errors(display_name: str) -> list[str]:
    if not display_name:
        return ["missing display name"]
    if len(display_name) > MAX_DISPLAY_NAME:
        return [f"display name is {len(display_name)} characters; the limit is {MAX_DISPLAY_NAME}"]
    return []


def _clash_errors(username: str, first_line: dict[str, int], taken: Collection[str]) -> list[str]:
    """A username used earlier in the file, or by an existing account (case ignored).

    A repeat is reported only as a repeat: its first row already says if the
    name is taken, and saying it twice would make one problem look like two.
    """
    key = username.lower()
    if key in first_line:
        return [f"duplicate username {username!r} (also on row {first_line[key]})"]
    if key in taken:
        return [f"username {username!r} is already taken"]
    return []
