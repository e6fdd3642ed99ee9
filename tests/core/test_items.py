"""Item analysis, checked against a small class worked out by hand.

Six students, four questions (1 = right). Rest score = right answers on the
student's OTHER three questions, shown here in thirds (2 means 2/3).

    student  q1 q2 q3 q4
    A         1  1  0  1
    B         1  0  0  1
    C         0  1  0  0
    D         0  0  1  0
    E         0  0  0  1
    F         0  0  0  0

Pearson r is computed as Sxy / sqrt(Sxx * Syy) with Sxy = sum(xy) - n*mean(x)*mean(y),
Sxx = sum(x^2) - n*mean(x)^2 and Syy likewise (y in thirds; the scale cancels).
Upper and lower groups hold max(1, round(0.27 * 6)) = round(1.62) = 2 students each;
students tied on a group's edge share its remaining places equally.

Six students are too few for discrimination flags (MIN_FOR_DISCRIMINATION), so
flags are checked on the class copied five times (LARGE_CLASS, 30 attempts):
copying every attempt leaves facility and r exactly as worked out here.
"""

from __future__ import annotations

import random

import pytest

from quizapp.core.items import (
    EASY_ABOVE,
    FLAG_EASY,
    FLAG_HARD,
    FLAG_LOW_DISCRIMINATION,
    FLAG_NEGATIVE_DISCRIMINATION,
    HARD_BELOW,
    LOW_DISCRIMINATION,
    MIN_FOR_DISCRIMINATION,
    MIN_FOR_EASY,
    NO_ANSWER,
    ItemResponse,
    ItemStats,
    analyse_items,
    facility,
    point_biserial,
    small_sample_note,
)

TABLE = {"A": "1101", "B": "1001", "C": "0100", "D": "0010", "E": "0001", "F": "0000"}
QUESTIONS = ("q1", "q2", "q3", "q4")


def attempt(marks: str, prefix: str = "q") -> dict[str, ItemResponse]:
    """An attempt from a string of 1s and 0s, one per question in order."""
    return {f"{prefix}{i}": ItemResponse(mark == "1", "x") for i, mark in enumerate(marks, 1)}


def right(response: str = "ok") -> ItemResponse:
    return ItemResponse(True, response)


def wrong(response: str) -> ItemResponse:
    return ItemResponse(False, response)


def by_id(stats: list[ItemStats]) -> dict[str, ItemStats]:
    return {item.question_id: item for item in stats}


CLASS = [attempt(marks) for marks in TABLE.values()]
LARGE_CLASS = CLASS * 5


def test_the_thresholds_are_the_documented_ones() -> None:
    assert (HARD_BELOW, EASY_ABOVE, LOW_DISCRIMINATION, MIN_FOR_EASY) == (0.3, 0.9, 0.2, 5)
    assert MIN_FOR_DISCRIMINATION == 30
    assert FLAG_HARD == "Hard: fewer than 30% answered correctly"
    assert FLAG_EASY == "Easy: over 90% answered correctly"
    assert FLAG_LOW_DISCRIMINATION == (
        "Low discrimination: strong and weak students did about as well"
    )
    assert FLAG_NEGATIVE_DISCRIMINATION == (
        "Negative discrimination: weaker students did better — check the key"
    )


def test_q1_a_good_question() -> None:
    # Facility 2/6 = 0.333 (not below 0.3, so not hard).
    # x = 1 1 0 0 0 0; rest (q2+q3+q4) = A 2, B 1, C 1, D 1, E 1, F 0; mean x 1/3, mean y 1.
    # Sxy = (2 + 1) - 6 * 1/3 * 1 = 1;  Sxx = 2 - 6/9 = 4/3;  Syy = 8 - 6 = 2.
    # r = 1 / sqrt(4/3 * 2) = sqrt(3/8) = 0.612.
    # Upper: A (2) is in; B, C, D, E tie at 1 for the last place, scores 1 0 0 0 -> 1/4 each.
    #   facility = (1 + 1/4) / 2 = 0.625.  Lower: F (0) is in, B..E share the other place:
    #   (0 + 1/4) / 2 = 0.125.  Upper - lower = 0.5.
    q1 = analyse_items(CLASS)[0]
    assert (q1.question_id, q1.answered) == ("q1", 6)
    assert q1.facility == pytest.approx(0.333, abs=5e-4)
    assert q1.discrimination == pytest.approx(0.612, abs=5e-4)
    assert q1.upper_lower == pytest.approx(0.5, abs=5e-4)
    assert q1.flags == ()


def test_q2_does_not_discriminate() -> None:
    # Facility 2/6 = 0.333.
    # x = 1 0 1 0 0 0; rest (q1+q3+q4) = A 2, B 2, C 0, D 1, E 1, F 0; mean x 1/3, mean y 1.
    # Sxy = (2 + 0) - 6 * 1/3 * 1 = 0, so r = 0: right answers came from A (strong) and
    # C (weak) alike.
    # Upper: A, B (both 2) -> scores 1, 0 -> 0.5.  Lower: C, F (both 0) -> 1, 0 -> 0.5.
    # Upper - lower = 0.
    q2 = by_id(analyse_items(CLASS))["q2"]
    assert q2.facility == pytest.approx(0.333, abs=5e-4)
    assert q2.discrimination == pytest.approx(0.0, abs=5e-4)
    assert q2.upper_lower == pytest.approx(0.0, abs=5e-4)
    assert q2.flags == ()  # six answers: too few to flag
    large = by_id(analyse_items(LARGE_CLASS))["q2"]
    assert large.discrimination == pytest.approx(q2.discrimination)
    assert large.flags == (FLAG_LOW_DISCRIMINATION,)


def test_q3_is_hard_and_favours_the_weak() -> None:
    # Facility 1/6 = 0.167 (< 0.3: hard).
    # x = 0 0 0 1 0 0; rest (q1+q2+q4) = A 3, B 2, C 1, D 0, E 1, F 0; mean x 1/6, mean y 7/6.
    # Sxy = 0 - 6 * 1/6 * 7/6 = -7/6;  Sxx = 1 - 6/36 = 5/6;  Syy = 15 - 6 * 49/36 = 41/6.
    # r = (-7/6) / sqrt(5/6 * 41/6) = -7 / sqrt(205) = -0.489.
    # Upper: A (3), B (2) -> 0.  Lower: D, F (both 0) -> 1, 0 -> 0.5.  Upper - lower = -0.5.
    q3 = by_id(analyse_items(CLASS))["q3"]
    assert q3.facility == pytest.approx(0.167, abs=5e-4)
    assert q3.discrimination == pytest.approx(-0.489, abs=5e-4)
    assert q3.upper_lower == pytest.approx(-0.5, abs=5e-4)
    assert q3.flags == (FLAG_HARD,)  # six answers: the facility flag only
    large = by_id(analyse_items(LARGE_CLASS))["q3"]
    assert large.discrimination == pytest.approx(q3.discrimination)
    assert large.flags == (FLAG_HARD, FLAG_NEGATIVE_DISCRIMINATION)


def test_q4_a_tie_on_the_upper_edge() -> None:
    # Facility 3/6 = 0.5.
    # x = 1 1 0 0 1 0; rest (q1+q2+q3) = A 2, B 1, C 1, D 1, E 0, F 0; mean x 1/2, mean y 5/6.
    # Sxy = (2 + 1 + 0) - 6 * 1/2 * 5/6 = 1/2;  Sxx = 3 - 6/4 = 3/2;  Syy = 7 - 6 * 25/36 = 17/6.
    # r = (1/2) / sqrt(3/2 * 17/6) = (1/2) / (sqrt(17) / 2) = 1 / sqrt(17) = 0.243.
    # Upper: A (2) in; B, C, D tie at 1 for one place, scores 1 0 0 -> (1 + 1/3) / 2 = 0.667.
    # Lower: E, F (both 0) -> 1, 0 -> 0.5.  Upper - lower = 0.167.
    q4 = by_id(analyse_items(CLASS))["q4"]
    assert q4.facility == pytest.approx(0.5, abs=5e-4)
    assert q4.discrimination == pytest.approx(0.243, abs=5e-4)
    assert q4.upper_lower == pytest.approx(0.167, abs=5e-4)
    assert q4.flags == ()


def test_submission_order_changes_nothing() -> None:
    # The ties above are shared, not broken by position, so any shuffle gives the same table.
    shuffled = CLASS[:]
    random.Random(3).shuffle(shuffled)
    assert analyse_items(shuffled, QUESTIONS) == analyse_items(CLASS, QUESTIONS)


def test_all_correct_leaves_discrimination_undefined() -> None:
    # Everyone right on q1: no variance in the item, so r and the flag for it are undefined,
    # but with 6 >= 5 attempts at facility 1.0 the question is flagged easy.
    stats = by_id(analyse_items([attempt("1" + marks[1:]) for marks in TABLE.values()]))
    q1 = stats["q1"]
    assert q1.facility == 1.0
    assert q1.discrimination is None
    assert q1.upper_lower == 0.0
    assert q1.flags == (FLAG_EASY,)


def test_easy_needs_enough_attempts() -> None:
    four = [attempt(marks) for marks in ("11", "10", "11", "10")]
    assert by_id(analyse_items(four))["q1"].flags == ()  # 4/4 right, but only 4 attempts
    five = [*four, attempt("11")]
    assert FLAG_EASY in by_id(analyse_items(five))["q1"].flags


def test_zero_variance_in_the_rest_leaves_discrimination_undefined() -> None:
    # Every student scored 1/2 on their other questions: nothing to rank them by.
    stats = by_id(analyse_items([attempt(m) for m in ("110", "001", "101", "010")]))
    assert stats["q1"].discrimination is None
    assert stats["q1"].facility == 0.5


def test_negative_discrimination_replaces_the_low_flag() -> None:
    # A miskeyed question: the three who did best elsewhere all "got it wrong".
    miskeyed = [attempt(marks) for marks in ("0111", "0111", "0110", "1100", "1000", "1000")]
    q1 = by_id(analyse_items(miskeyed * 5))["q1"]
    assert q1.discrimination is not None
    assert q1.discrimination < 0
    assert q1.upper_lower == -1.0
    assert FLAG_NEGATIVE_DISCRIMINATION in q1.flags
    assert FLAG_LOW_DISCRIMINATION not in q1.flags


def test_three_students_never_raise_check_the_key() -> None:
    # Issue 23: a correct key answered by 3 students. The one who got it right did worst
    # elsewhere, so r is negative, but three answers cannot tell a wrong key from chance.
    three = [attempt(marks) for marks in ("011", "011", "100")]
    q1 = by_id(analyse_items(three))["q1"]
    assert q1.discrimination is not None
    assert q1.discrimination < 0
    assert not q1.enough_answers
    assert q1.flags == ()


def test_discrimination_flags_start_at_the_minimum_sample() -> None:
    # The miskeyed question of the test above, once with one attempt short of the minimum.
    miskeyed = [attempt(marks) for marks in ("0111", "0111", "0110", "1100", "1000", "1000")]
    short = (miskeyed * 5)[: MIN_FOR_DISCRIMINATION - 1]
    full = miskeyed * 5
    assert len(full) == MIN_FOR_DISCRIMINATION
    assert by_id(analyse_items(short))["q1"].flags == ()
    assert by_id(analyse_items(full))["q1"].flags == (FLAG_NEGATIVE_DISCRIMINATION,)
    assert by_id(analyse_items(full))["q1"].enough_answers


def test_the_small_sample_note_says_how_many_and_how_many_more() -> None:
    assert small_sample_note(3) == (
        "3 students answered; item statistics need at least 30 before they mean much."
    )
    assert small_sample_note(1) == (
        "1 student answered; item statistics need at least 30 before they mean much."
    )
    assert small_sample_note(MIN_FOR_DISCRIMINATION) is None


def test_attempts_with_different_questions() -> None:
    # Each attempt was given a random subset. For "a":
    #   P1 right, others b right, c wrong -> rest 1/2
    #   P2 right, others c right          -> rest 1
    #   P3 not given a
    #   P4 wrong, others b wrong          -> rest 0
    #   P5 right, no other questions      -> counts for facility, not for r
    # Facility 3/4 = 0.75.  x = 1 1 0, y = 1/2 1 0; mean x 2/3, mean y 1/2.
    # Sxy = (1/2 + 1) - 3 * 2/3 * 1/2 = 1/2;  Sxx = 2 - 4/3 = 2/3;  Syy = 5/4 - 3/4 = 1/2.
    # r = (1/2) / sqrt(2/3 * 1/2) = sqrt(3) / 2 = 0.866.  Only 3 ranked attempts: no
    # upper-lower. (Counting P5 with a rest of 0 would give 0.5 instead.)
    attempts = [
        {"a": right(), "b": right(), "c": wrong("x")},
        {"a": right(), "c": right()},
        {"b": wrong("x"), "c": wrong("x")},
        {"a": wrong("x"), "b": wrong("x")},
        {"a": right()},
    ]
    stats = by_id(analyse_items(attempts))
    assert (stats["a"].answered, stats["b"].answered, stats["c"].answered) == (4, 3, 3)
    assert stats["a"].facility == pytest.approx(0.75)
    assert stats["a"].discrimination == pytest.approx(0.866, abs=5e-4)
    assert stats["a"].upper_lower is None


def test_common_wrong_answers_are_counted_loosely_and_shown_as_first_typed() -> None:
    responses = [
        wrong("Lenin"),
        right("Trotsky"),  # right answers never count as common wrong ones
        wrong("Trotsky  "),
        wrong("   "),
        wrong("KERENSKY  alexander"),
        wrong(""),
        wrong(" kerensky alexander"),
        wrong(" Stalin "),
        wrong("stalin"),
        wrong("STALIN "),
    ]
    stats = analyse_items([{"q": response} for response in responses])[0]
    # Stalin 3 (though typed last), shown trimmed; blank 2 and Kerensky 2, blank first because
    # it appeared first; Lenin and Trotsky (1 each) miss the top three.
    assert stats.common_wrong == (("Stalin", 3), (NO_ANSWER, 2), ("KERENSKY  alexander", 2))


def test_equal_counts_keep_first_appearance_not_alphabetical_order() -> None:
    responses = [wrong("b"), wrong("a"), wrong(" A"), wrong("B "), right("c")]
    stats = analyse_items([{"q": response} for response in responses])[0]
    assert stats.common_wrong == (("b", 2), ("a", 2))


def test_question_order_lists_unanswered_questions_too() -> None:
    attempts = [{"q2": right(), "q9": wrong("x")}, {"q2": wrong("y"), "q1": right()}]
    stats = analyse_items(attempts, question_order=["q1", "q2", "q3"])
    assert [item.question_id for item in stats] == ["q1", "q2", "q3", "q9"]
    q3 = stats[2]
    assert (q3.answered, q3.facility, q3.discrimination, q3.upper_lower) == (0, None, None, None)
    assert (q3.common_wrong, q3.flags) == ((), ())


def test_without_question_order_questions_come_in_order_of_first_appearance() -> None:
    attempts = [{"b": right(), "a": right()}, {"c": right(), "a": wrong("x")}]
    assert [item.question_id for item in analyse_items(attempts)] == ["b", "a", "c"]


def test_fewer_than_three_attempts_give_no_discrimination() -> None:
    stats = analyse_items([attempt("10"), attempt("01")])
    assert [item.discrimination for item in stats] == [None, None]
    assert [item.upper_lower for item in stats] == [None, None]
    assert [item.facility for item in stats] == [0.5, 0.5]
    assert analyse_items([]) == []


def test_facility_helper() -> None:
    assert facility([True, False, True, True]) == 0.75
    assert facility([]) is None


def test_point_biserial_helper() -> None:
    # x = 1 1 0, y = 1/2 1 0: r = sqrt(3)/2 as worked out above.
    assert point_biserial([1, 1, 0], [0.5, 1.0, 0.0]) == pytest.approx(0.866, abs=5e-4)
    assert point_biserial([1, 0, 1, 0], [1.0, 0.0, 1.0, 0.0]) == pytest.approx(1.0)
    assert point_biserial([1, 0], [1.0, 0.0]) is None
    assert point_biserial([1, 1, 1], [0.0, 0.5, 1.0]) is None
    assert point_biserial([1, 0, 1], [0.5, 0.5, 0.5]) is None
    with pytest.raises(ValueError, match="3 item scores but 2 rest scores"):
        point_biserial([1, 0, 1], [0.5, 0.5])
