"""Roster upload: good files as spreadsheets really save them, and every kind of mistake.

Row numbers are the line numbers a spreadsheet shows, the header being row 1.
"""

from __future__ import annotations

import random
import re

import pytest

from quizapp.core.roster import (
    MAX_ROWS,
    PASSWORD_ALPHABET,
    USERNAME_PATTERN,
    RosterError,
    RosterInvalid,
    RosterRow,
    one_time_password,
    parse_roster,
)

RULE = "use 3 to 40 letters, digits, dots, hyphens or underscores"


def errors_of(data: bytes, existing: tuple[str, ...] = ()) -> list[str]:
    """The problems a roster is rejected for, as the teacher would read them."""
    with pytest.raises(RosterInvalid) as caught:
        parse_roster(data, existing)
    return [str(error) for error in caught.value.errors]


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


# Good files ---------------------------------------------------------------------------


def test_a_file_as_excel_saves_it() -> None:
    # BOM, columns in another order and case, an extra column, a blank line, padded cells.
    data = b"\xef\xbb\xbf" + csv_bytes(
        "Class, Display_Name ,USERNAME ",
        "7B,Anna Petrova, Anna.P ",
        "",
        "7B,  Jörg Müller,jorg_m",
    )
    assert parse_roster(data) == [
        RosterRow(line=2, username="anna.p", display_name="Anna Petrova"),
        RosterRow(line=4, username="jorg_m", display_name="Jörg Müller"),
    ]


def test_rows_of_empty_cells_are_blank_lines_and_long_rows_keep_their_first_cells() -> None:
    data = csv_bytes("username,display_name", ",,", "ann,Ann,extra,cells", " , ")
    assert parse_roster(data) == [RosterRow(3, "ann", "Ann")]


def test_a_quoted_cell_over_two_lines_keeps_later_row_numbers_right() -> None:
    data = csv_bytes("username,display_name", 'ann,"Ann', 'Smith"', "bob,Bob", "bob,Bobby")
    assert errors_of(data) == ["Row 5: duplicate username 'bob' (also on row 4)"]


def test_usernames_are_lower_cased_as_the_app_stores_them() -> None:
    assert parse_roster(csv_bytes("username,display_name", "MiXeD_Case,M"))[0].username == (
        "mixed_case"
    )


# Row errors ---------------------------------------------------------------------------


def test_missing_cells() -> None:
    data = csv_bytes("username,display_name", "ann", ",Bob", "carl,")
    assert errors_of(data) == [
        "Row 2: missing display name",
        "Row 3: missing username",
        "Row 4: missing display name",
    ]


def test_usernames_follow_the_sign_up_rule() -> None:
    data = csv_bytes(
        "username,display_name",
        "ab,Too Short",
        "abc,Just Long Enough",
        f"{'a' * 40},Forty",
        f"{'a' * 41},Forty-one",
        "ann smith,Space",
        "jörg,Umlaut",
        "ann@school,At",
    )
    assert errors_of(data) == [
        f"Row 2: username 'ab' is not allowed; {RULE}",
        f"Row 5: username '{'a' * 41}' is not allowed; {RULE}",
        f"Row 6: username 'ann smith' is not allowed; {RULE}",
        f"Row 7: username 'jörg' is not allowed; {RULE}",
        f"Row 8: username 'ann@school' is not allowed; {RULE}",
    ]


def test_the_pattern_mirrors_the_sign_up_form() -> None:
    # quizapp/auth/forms.py: Length(3, 40) and letters, digits, "_", "." and "-".
    assert USERNAME_PATTERN == r"^[A-Za-z0-9_.-]{3,40}$"
    assert re.fullmatch(USERNAME_PATTERN, "a.b-c_D9")
    assert not re.fullmatch(USERNAME_PATTERN, "ab")


def test_display_name_length() -> None:
    data = csv_bytes("username,display_name", f"ann,{'x' * 80}", f"bob,{'x' * 81}")
    assert errors_of(data) == ["Row 3: display name is 81 characters; the limit is 80"]


CONTROL_MESSAGE = (
    "holds the control character {}; remove it (only tabs and line breaks may stand in a roster)"
)


@pytest.mark.parametrize(
    ("control", "named"),
    [
        ("\x00", "NUL (U+0000)"),
        ("\x1b", "ESC (U+001B)"),
        ("\x7f", "DEL (U+007F)"),
        ("\x85", "NEL (U+0085)"),
        ("\x9f", "U+009F"),
    ],
)
def test_a_control_character_in_any_cell_is_refused_with_its_row(control: str, named: str) -> None:
    """As the form guard refuses one in a field: a NUL failed on PostgreSQL, and any
    other was stored in the display name (a C1 control on both databases)."""
    data = csv_bytes(
        "username,display_name,class",
        "ann,Ann",
        f"bob,Bo{control}b",
        f"cat{control},Cat",
        f"dan,Dan,7{control}B",
        f"eve,Eve{control}",
    )
    assert errors_of(data) == [
        f"Row {row}: {CONTROL_MESSAGE.format(named)}" for row in (3, 4, 5, 6)
    ]


def test_a_control_character_in_the_header_or_alone_on_a_row_is_refused() -> None:
    assert errors_of(csv_bytes("username,display\x00_name", "ann,Ann")) == [
        f"Row 1: {CONTROL_MESSAGE.format('NUL (U+0000)')}"
    ]
    # White space to ``str.strip``, so such a row would pass for a blank line.
    assert errors_of(csv_bytes("username,display_name", "ann,Ann", "\x1c\x85")) == [
        f"Row 3: {CONTROL_MESSAGE.format('U+001C')}"
    ]


def test_tabs_in_a_cell_are_welcome() -> None:
    assert parse_roster(csv_bytes("username,display_name", "ann,Ann\tPetrova")) == [
        RosterRow(2, "ann", "Ann\tPetrova")
    ]


def test_duplicates_name_both_rows_and_ignore_case() -> None:
    data = csv_bytes("username,display_name", "ann,Ann", "bob,Bob", "ANN,Ann Again", "ann,Third")
    assert errors_of(data) == [
        "Row 4: duplicate username 'ANN' (also on row 2)",
        "Row 5: duplicate username 'ann' (also on row 2)",
    ]


def test_usernames_already_taken_ignore_case() -> None:
    data = csv_bytes("username,display_name", "ann,Ann", "Bob,Bob", "carl,Carl")
    assert errors_of(data, existing=("bob", "CARL")) == [
        "Row 3: username 'Bob' is already taken",
        "Row 4: username 'carl' is already taken",
    ]


def test_a_repeat_of_a_taken_name_is_reported_once_per_row() -> None:
    data = csv_bytes("username,display_name", "bob,Bob", "bob,Bob")
    assert errors_of(data, existing=("bob",)) == [
        "Row 2: username 'bob' is already taken",
        "Row 3: duplicate username 'bob' (also on row 2)",
    ]


def test_every_problem_is_reported_together_in_file_order() -> None:
    data = csv_bytes(
        "username,display_name",
        "ann,Ann",
        "a b,",
        "",
        "taken,Taken",
        "Ann,Ann Two",
        "dan,Dan",
    )
    with pytest.raises(RosterInvalid) as caught:
        parse_roster(data, existing_usernames={"taken"})
    assert caught.value.errors == (
        RosterError(3, f"username 'a b' is not allowed; {RULE}"),
        RosterError(3, "missing display name"),
        RosterError(5, "username 'taken' is already taken"),
        RosterError(6, "duplicate username 'Ann' (also on row 2)"),
    )
    assert str(caught.value).splitlines() == [
        f"Row 3: username 'a b' is not allowed; {RULE}",
        "Row 3: missing display name",
        "Row 5: username 'taken' is already taken",
        "Row 6: duplicate username 'Ann' (also on row 2)",
    ]
    assert isinstance(caught.value, ValueError)


# File errors --------------------------------------------------------------------------


def test_latin_1_is_refused_with_where_and_what_to_do() -> None:
    # "username,display_name\n" is 22 bytes, "j" is byte 22, so the ö (0xf6) is byte 23.
    assert errors_of(b"username,display_name\nj\xf6rg,J\xf6rg\n") == [
        "File: not UTF-8 text (byte 0xf6 at position 23); save the roster as CSV UTF-8"
    ]


def test_bad_byte_positions_count_the_bom() -> None:
    assert errors_of(b"\xef\xbb\xbfusername,display_name\nj\xf6rg,J\n") == [
        "File: not UTF-8 text (byte 0xf6 at position 26); save the roster as CSV UTF-8"
    ]


def test_header_missing_a_column() -> None:
    assert errors_of(csv_bytes("Username,Name,Class", "ann,Ann,7B")) == [
        "File: missing column 'display_name'; the first row has 'Username', 'Name', 'Class'"
    ]
    assert errors_of(csv_bytes("login,name", "ann,Ann")) == [
        "File: missing columns 'username' and 'display_name'; the first row has 'login', 'name'"
    ]


def test_a_semicolon_separated_file_gets_a_hint() -> None:
    (error,) = errors_of(csv_bytes("username;display_name", "ann;Ann"))
    assert error.startswith("File: missing columns 'username' and 'display_name'")
    assert "semicolons" in error


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" , \n"])
def test_an_empty_file(data: bytes) -> None:
    assert errors_of(data) == [
        "File: the file is empty; the first row must name the columns username and display_name"
    ]


def test_a_header_with_no_students() -> None:
    assert errors_of(csv_bytes("username,display_name", "")) == [
        "File: no students below the header row"
    ]


def test_too_many_rows() -> None:
    students = [f"student{i:03},Student {i}" for i in range(MAX_ROWS)]
    assert len(parse_roster(csv_bytes("username,display_name", *students))) == MAX_ROWS
    too_many = csv_bytes("username,display_name", *students, "one.more,One More")
    limit = [
        "File: more than 500 students, the limit for one class; split the roster into smaller files"
    ]
    assert errors_of(too_many) == limit
    # A huge file, full of bad rows too, is refused for its size alone: reading stops at 501.
    huge = csv_bytes("username,display_name", *(["x,"] * 200_000))
    assert errors_of(huge) == limit


def test_error_text() -> None:
    assert str(RosterError(3, "missing username")) == "Row 3: missing username"
    assert str(RosterError(None, "the file is empty")) == "File: the file is empty"


# One-time passwords -------------------------------------------------------------------


def test_one_time_password_shape() -> None:
    password = one_time_password()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert set(password.replace("-", "")) <= set(PASSWORD_ALPHABET)
    assert not set(PASSWORD_ALPHABET) & set("0O1lI")


def test_one_time_passwords_vary_and_repeat_only_with_the_same_seed() -> None:
    assert len({one_time_password() for _ in range(50)}) == 50
    assert one_time_password(random.Random(7)) == one_time_password(random.Random(7))
    assert one_time_password(random.Random(7)) != one_time_password(random.Random(8))
