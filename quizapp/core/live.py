"""Live class games: the rules of play, free of any web or storage concern.

A teacher's screen drives a game through its phases (lobby, a question with its
countdown, the reveal of the answers, the leaderboard, the next question, the
end). Players answer on their phones; the server's clock decides how fast they
were and whether they were in time. Scores are never kept as running totals:
they are worked out again from the answers given, so two workers recording
answers at once can never lose a point.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: The most a right answer can earn (an instant one); a right answer at the last
#: moment earns half of it, as in Kahoot!.
MAX_POINTS = 1000
#: Each right answer in a row after the first adds this much, up to the cap.
STREAK_STEP = 100
STREAK_CAP = 500
#: Seconds of slack for the network between a player pressing "Answer" and the
#: server reading it; an answer later than the limit plus this is refused.
GRACE_SECONDS = 1.0
NICKNAME_MIN = 2
NICKNAME_MAX = 20
PIN_DIGITS = 6
QUESTION_SECONDS = (10, 20, 30, 60)
TEAM_NAMES = ("Aurora", "Smolny", "Neva", "Baltic")

LOBBY, QUESTION, REVEAL, LEADERBOARD, FINISHED = (
    "lobby",
    "question",
    "reveal",
    "leaderboard",
    "finished",
)
PHASES = (LOBBY, QUESTION, REVEAL, LEADERBOARD, FINISHED)
ACTIONS = ("start", "reveal", "leaderboard", "next", "finish")

_PIN = re.compile(r"[1-9][0-9]{5}")


def new_pin(rng: random.Random) -> str:
    """A six-digit PIN that never starts with 0 (so no phone keyboard drops it)."""
    return str(rng.randrange(100_000, 1_000_000))


def is_pin(text: str) -> bool:
    return _PIN.fullmatch(text) is not None


# ---------------------------------------------------------------- points


def speed_points(elapsed: float, limit: float) -> int:
    """Points for a right answer ``elapsed`` seconds into a ``limit``-second question:
    1000 at once, falling evenly to 500 at the limit."""
    share = min(max(elapsed, 0.0), limit) / limit if limit > 0 else 1.0
    return round(MAX_POINTS * (1 - share / 2))


def streak_bonus(streak: int) -> int:
    """The bonus for the ``streak``-th right answer in a row (none for the first)."""
    return min(STREAK_STEP * (streak - 1), STREAK_CAP) if streak > 1 else 0


@dataclass(frozen=True)
class LiveAnswer:
    """One player's answer to one question, as the server graded and timed it."""

    response: str
    correct: bool
    elapsed: float
    near_miss: bool = False


@dataclass
class Standing:
    """Where one player stands after the questions played so far."""

    token: str
    nickname: str
    score: int = 0
    correct: int = 0
    streak: int = 0
    last_points: int = 0
    team: str | None = None


def standings(
    players: Mapping[str, str],
    rounds: Sequence[Mapping[str, LiveAnswer]],
    limit: float,
    teams: Mapping[str, str] | None = None,
) -> list[Standing]:
    """Every player's score from the answers of each round played (in order), best first.

    ``players`` maps each player's token to their nickname; each round maps the
    tokens of those who answered to their answer. A wrong or missing answer ends
    a streak and earns nothing. Ties are broken by nickname, so the order is stable.
    """
    table = {
        token: Standing(token, nickname, team=(teams or {}).get(token))
        for token, nickname in players.items()
    }
    for answers in rounds:
        for token, standing in table.items():
            answer = answers.get(token)
            if answer is not None and answer.correct:
                standing.streak += 1
                standing.last_points = speed_points(answer.elapsed, limit) + streak_bonus(
                    standing.streak
                )
                standing.score += standing.last_points
                standing.correct += 1
            else:
                standing.streak = 0
                standing.last_points = 0
    return sorted(table.values(), key=lambda s: (-s.score, s.nickname.casefold(), s.token))


@dataclass(frozen=True)
class TeamStanding:
    name: str
    score: int
    members: tuple[str, ...]


def team_standings(table: Iterable[Standing]) -> list[TeamStanding]:
    """Each team's score: the mean of its members' scores, so a smaller team is not
    punished for its size. Best first."""
    by_team: dict[str, list[Standing]] = {}
    for standing in table:
        if standing.team is not None:
            by_team.setdefault(standing.team, []).append(standing)
    teams = [
        TeamStanding(
            name,
            round(sum(s.score for s in members) / len(members)),
            tuple(s.nickname for s in members),
        )
        for name, members in by_team.items()
    ]
    return sorted(teams, key=lambda t: (-t.score, t.name))


def team_count(players: int) -> int:
    """How many teams a room of ``players`` plays in: about three a team, 2 to 4 teams."""
    return max(2, min(len(TEAM_NAMES), players // 3))


def assign_teams(tokens: Iterable[str], rng: random.Random) -> dict[str, str]:
    """Players dealt at random into teams whose sizes differ by one at most."""
    shuffled = sorted(tokens)
    rng.shuffle(shuffled)
    names = TEAM_NAMES[: team_count(len(shuffled))]
    return {token: names[n % len(names)] for n, token in enumerate(shuffled)}


# ---------------------------------------------------------------- nicknames


def nickname_key(nickname: str) -> str:
    """What makes two nicknames the same: case, accents' forms and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", nickname).casefold().split())


def clean_nickname(nickname: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", nickname).split())


def nickname_problem(nickname: str, taken: Iterable[str]) -> str | None:
    """Why a nickname cannot be used in this game (None: it can)."""
    name = clean_nickname(nickname)
    if len(name) < NICKNAME_MIN:
        return f"Choose a nickname of at least {NICKNAME_MIN} characters."
    if len(name) > NICKNAME_MAX:
        return f"Choose a nickname of at most {NICKNAME_MAX} characters."
    if not any(char.isalnum() for char in name):
        return "A nickname needs at least one letter or digit."
    if nickname_key(name) in {nickname_key(other) for other in taken}:
        return "Someone in this game already has that nickname; choose another."
    return None


# ---------------------------------------------------------------- the game's pace


def next_phase(phase: str, index: int, total: int, action: str) -> tuple[str, int] | None:
    """The phase and question index after the teacher's ``action``; None if the action
    makes no sense now (a second click of a button already acted on, say)."""
    if phase == FINISHED or action not in ACTIONS:
        return None
    if action == "finish":
        return FINISHED, index
    moves: dict[tuple[str, str], tuple[str, int]] = {
        (LOBBY, "start"): (QUESTION, 0),
        (QUESTION, "reveal"): (REVEAL, index),
        (REVEAL, "leaderboard"): (LEADERBOARD, index),
    }
    if action == "next" and phase in (REVEAL, LEADERBOARD):
        return (QUESTION, index + 1) if index + 1 < total else (FINISHED, index)
    return moves.get((phase, action))


def answer_refusal(
    phase: str,
    current: int,
    index: int,
    elapsed: float,
    limit: float,
    already_answered: bool,
) -> str | None:
    """Why an answer to question ``index`` cannot count (None: it counts).

    ``elapsed`` is the server's seconds since the question opened; the browser's
    own clock is never asked.
    """
    if phase != QUESTION or index != current:
        return "That question is closed."
    if already_answered:
        return "You have already answered this question."
    if elapsed > limit + GRACE_SECONDS:
        return "Time is up: answers to this question are closed."
    return None


def ordinal(place: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    suffix = "th" if 11 <= place % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def seconds_left(elapsed: float, limit: float) -> int:
    return max(0, int(limit - elapsed + 0.999))


# ---------------------------------------------------------------- the reveal


@dataclass(frozen=True)
class Bar:
    """One bar of the answers' histogram."""

    label: str
    count: int
    correct: bool


def histogram(
    answers: Iterable[LiveAnswer], options: Sequence[str], players: int, top: int = 4
) -> list[Bar]:
    """The answers given, counted: one bar per option for a multiple choice question,
    else the most common answers (as typed, folded for case and spacing) with the
    rest together; then those who gave no answer."""
    given = list(answers)
    bars: list[Bar] = []
    if options:
        counts = Counter(answer.response for answer in given)
        right = {answer.response for answer in given if answer.correct}
        bars = [Bar(option, counts[option], option in right) for option in options]
    else:
        groups: dict[str, list[LiveAnswer]] = {}
        for answer in given:
            groups.setdefault(nickname_key(answer.response), []).append(answer)
        ranked = sorted(groups.values(), key=lambda group: (-len(group), group[0].response))
        for group in ranked[:top]:
            label = " → ".join(group[0].response.splitlines())
            bars.append(Bar(label, len(group), any(a.correct for a in group)))
        rest = [answer for group in ranked[top:] for answer in group]
        if rest:
            bars.append(Bar("Other answers", len(rest), all(a.correct for a in rest)))
    missing = players - len(given)
    if missing > 0:
        bars.append(Bar("No answer", missing, False))
    return bars
