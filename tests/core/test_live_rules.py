"""The rules of live games: points for speed, streaks, teams, nicknames, the pace, lateness."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core import live
from quizapp.core.live import LiveAnswer


def right(elapsed: float) -> LiveAnswer:
    return LiveAnswer("x", True, elapsed)


def wrong(elapsed: float = 1.0) -> LiveAnswer:
    return LiveAnswer("y", False, elapsed)


# ---------------------------------------------------------------- speed


def test_an_instant_right_answer_earns_the_full_thousand() -> None:
    assert live.speed_points(0, 20) == 1000


def test_a_right_answer_at_the_last_moment_earns_half() -> None:
    assert live.speed_points(20, 20) == 500


def test_points_fall_evenly_with_time() -> None:
    assert live.speed_points(5, 20) == 875
    assert live.speed_points(10, 20) == 750


def test_within_the_grace_past_the_limit_still_earns_half_and_never_less() -> None:
    assert live.speed_points(20.8, 20) == 500


@given(st.floats(0, 60), st.floats(0, 60))
def test_a_faster_answer_never_earns_less(a: float, b: float) -> None:
    fast, slow = sorted((a, b))
    assert live.speed_points(fast, 60) >= live.speed_points(slow, 60)
    assert 500 <= live.speed_points(slow, 60) <= 1000


# ---------------------------------------------------------------- streaks


def test_the_streak_bonus_grows_by_a_hundred_up_to_five_hundred() -> None:
    assert [live.streak_bonus(n) for n in range(1, 9)] == [0, 100, 200, 300, 400, 500, 500, 500]


def test_standings_add_speed_and_streak_and_a_miss_ends_the_streak() -> None:
    players = {"a": "Anya", "b": "Boris"}
    rounds = [
        {"a": right(0), "b": right(10)},
        {"a": right(0), "b": wrong()},
        {"a": wrong(), "b": right(0)},
        {"a": right(0)},  # Boris gave no answer
    ]
    table = live.standings(players, rounds, 20)
    by_name = {s.nickname: s for s in table}
    # Anya: 1000, then 1000 + 100 (streak 2), miss, then 1000 (streak starts again).
    assert by_name["Anya"].score == 3100
    assert by_name["Anya"].streak == 1
    assert by_name["Anya"].correct == 3
    assert by_name["Anya"].last_points == 1000
    # Boris: 750, miss, 1000, no answer.
    assert by_name["Boris"].score == 1750
    assert by_name["Boris"].streak == 0
    assert by_name["Boris"].last_points == 0
    assert [s.nickname for s in table] == ["Anya", "Boris"]


def test_ties_are_ordered_by_nickname_so_the_board_is_stable() -> None:
    table = live.standings({"1": "zed", "2": "Amy"}, [{"1": right(0), "2": right(0)}], 20)
    assert [s.nickname for s in table] == ["Amy", "zed"]


def test_a_player_who_never_answered_is_on_the_board_with_nothing() -> None:
    table = live.standings({"a": "Anya", "b": "Boris"}, [{"a": right(4)}], 20)
    assert table[-1].nickname == "Boris"
    assert table[-1].score == 0


# ---------------------------------------------------------------- teams


@pytest.mark.parametrize(("players", "teams"), [(2, 2), (5, 2), (6, 2), (9, 3), (12, 4), (200, 4)])
def test_rooms_are_dealt_into_two_to_four_teams(players: int, teams: int) -> None:
    assert live.team_count(players) == teams


def test_teams_are_dealt_at_random_and_differ_in_size_by_one_at_most() -> None:
    tokens = [f"t{n}" for n in range(11)]
    first = live.assign_teams(tokens, random.Random(1))
    second = live.assign_teams(tokens, random.Random(2))
    assert set(first) == set(tokens)
    sizes = sorted(list(first.values()).count(name) for name in set(first.values()))
    assert sizes[-1] - sizes[0] <= 1
    assert len(sizes) == 3
    assert first != second


def test_a_team_scores_the_mean_of_its_members() -> None:
    players = {"a": "Anya", "b": "Boris", "c": "Clara"}
    teams = {"a": "Neva", "b": "Neva", "c": "Aurora"}
    table = live.standings(players, [{"a": right(0), "c": right(10)}], 20, teams)
    board = live.team_standings(table)
    assert [(t.name, t.score) for t in board] == [("Aurora", 750), ("Neva", 500)]
    assert set(board[1].members) == {"Anya", "Boris"}


def test_without_team_mode_there_are_no_teams() -> None:
    table = live.standings({"a": "Anya"}, [{"a": right(0)}], 20)
    assert live.team_standings(table) == []


# ---------------------------------------------------------------- nicknames


@pytest.mark.parametrize(
    ("nickname", "problem"),
    [
        ("A", "at least 2"),
        ("x" * 21, "at most 20"),
        ("   ", "at least 2"),
        ("!!!", "letter or digit"),
        ("anya", "already has that nickname"),
        ("  ANYA ", "already has that nickname"),
    ],
)
def test_nicknames_are_checked_for_length_and_uniqueness(nickname: str, problem: str) -> None:
    found = live.nickname_problem(nickname, ["Anya", "Boris"])
    assert found is not None
    assert problem in found


@pytest.mark.parametrize("nickname", ["Al", "x" * 20, "Red  Guard", "Лена", "Anya 2"])
def test_good_nicknames_pass(nickname: str) -> None:
    assert live.nickname_problem(nickname, ["Anya", "Boris"]) is None


def test_nicknames_are_tidied_and_compared_without_case_or_spacing() -> None:
    assert live.clean_nickname("  Red   Guard ") == "Red Guard"
    assert live.nickname_key("Red Guard") == live.nickname_key(" red  GUARD")


# ---------------------------------------------------------------- the pace


def test_a_game_runs_lobby_question_reveal_leaderboard_next_and_ends() -> None:
    step = live.next_phase
    assert step("lobby", 0, 2, "start") == ("question", 0)
    assert step("question", 0, 2, "reveal") == ("reveal", 0)
    assert step("reveal", 0, 2, "leaderboard") == ("leaderboard", 0)
    assert step("leaderboard", 0, 2, "next") == ("question", 1)
    assert step("question", 1, 2, "reveal") == ("reveal", 1)
    assert step("reveal", 1, 2, "next") == ("finished", 1)


@pytest.mark.parametrize(
    ("phase", "action"),
    [
        ("lobby", "reveal"),
        ("lobby", "next"),
        ("question", "start"),
        ("question", "next"),
        ("reveal", "reveal"),
        ("leaderboard", "leaderboard"),
        ("finished", "start"),
        ("finished", "finish"),
        ("lobby", "explode"),
    ],
)
def test_an_action_out_of_turn_does_nothing(phase: str, action: str) -> None:
    assert live.next_phase(phase, 0, 3, action) is None


def test_the_teacher_may_end_the_game_at_any_point_before_its_end() -> None:
    for phase in ("lobby", "question", "reveal", "leaderboard"):
        assert live.next_phase(phase, 1, 3, "finish") == ("finished", 1)


# ---------------------------------------------------------------- answers


def test_an_answer_in_time_counts() -> None:
    assert live.answer_refusal("question", 2, 2, 19.9, 20, False) is None


def test_an_answer_within_the_grace_still_counts() -> None:
    assert live.answer_refusal("question", 0, 0, 20 + live.GRACE_SECONDS, 20, False) is None


def test_a_late_answer_is_refused() -> None:
    refusal = live.answer_refusal("question", 0, 0, 20 + live.GRACE_SECONDS + 0.01, 20, False)
    assert refusal is not None
    assert "Time is up" in refusal


def test_a_second_answer_is_refused() -> None:
    refusal = live.answer_refusal("question", 0, 0, 3, 20, True)
    assert refusal is not None
    assert "already answered" in refusal


@pytest.mark.parametrize(("phase", "current"), [("reveal", 0), ("lobby", 0), ("question", 1)])
def test_an_answer_to_a_closed_question_is_refused(phase: str, current: int) -> None:
    assert live.answer_refusal(phase, current, 0, 1, 20, False) == "That question is closed."


def test_seconds_left_round_up_and_stop_at_zero() -> None:
    assert live.seconds_left(0, 20) == 20
    assert live.seconds_left(0.2, 20) == 20
    assert live.seconds_left(19.5, 20) == 1
    assert live.seconds_left(25, 20) == 0


# ---------------------------------------------------------------- the reveal and PINs


def test_the_histogram_of_a_choice_has_a_bar_per_option_and_the_missing() -> None:
    answers = [LiveAnswer("Lenin", True, 1), LiveAnswer("Trotsky", False, 2), right(3)]
    answers[2] = LiveAnswer("Lenin", True, 3)
    bars = live.histogram(answers, ["Trotsky", "Lenin", "Kerensky"], players=5)
    assert [(b.label, b.count, b.correct) for b in bars] == [
        ("Trotsky", 1, False),
        ("Lenin", 2, True),
        ("Kerensky", 0, False),
        ("No answer", 2, False),
    ]


def test_the_histogram_of_typed_answers_groups_them_and_keeps_the_rest_together() -> None:
    answers = [
        LiveAnswer("Smolny", True, 1),
        LiveAnswer("smolny ", True, 1),
        LiveAnswer("Winter Palace", False, 1),
        *(LiveAnswer(f"guess {n}", False, 1) for n in range(5)),
    ]
    bars = live.histogram(answers, [], players=8, top=2)
    assert (bars[0].label, bars[0].count, bars[0].correct) == ("Smolny", 2, True)
    assert bars[-1].label == "Other answers"
    assert bars[-1].count == 5
    assert sum(bar.count for bar in bars) == 8


def test_pins_are_six_digits_never_starting_with_zero() -> None:
    rng = random.Random(7)
    pins = {live.new_pin(rng) for _ in range(500)}
    assert all(live.is_pin(pin) for pin in pins)
    assert not live.is_pin("012345")
    assert not live.is_pin("12345")
    assert not live.is_pin("1234567")


@pytest.mark.parametrize(
    ("place", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (102, "102nd"),
        (111, "111th"),
    ],
)
def test_places_are_written_as_people_say_them(place: int, text: str) -> None:
    assert live.ordinal(place) == text
