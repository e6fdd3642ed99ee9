"""Live games: creating one, joining, answering, the teacher's pace, and filing the
results where the gradebook and item analysis read them.

The state of a game in play is in the store (Redis, or memory for one process);
the rules are ``quizapp.core.live``; the database sees a game only when it ends.
"""

from __future__ import annotations

import random
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.core import live as rules
from quizapp.core.bank import BankQuestion
from quizapp.core.grading import Verdict, grade
from quizapp.core.quiz import QuizSpec, draw
from quizapp.core.streams import HeldStreams, HoldLimits
from quizapp.extensions import db
from quizapp.live.store import LiveStore, MemoryStore, RedisStore
from quizapp.models import (
    Assignment,
    LiveGame,
    Question,
    QuizAnswer,
    QuizAttempt,
    QuizSet,
    SchoolClass,
    User,
)
from quizapp.quiz.service import active_pool, attempt_for, send_missed_to_deck
from quizapp.teach.service import is_member
from quizapp.web.texts import evidence_in_context


def store() -> LiveStore:
    """The app's store: Redis when ``REDIS_URL`` is set, else this process's memory."""
    found: LiveStore | None = current_app.extensions.get("live_store")
    if found is None:
        url = current_app.config.get("REDIS_URL") or ""
        found = RedisStore(url, current_app.config["LIVE_KEY_PREFIX"]) if url else MemoryStore()
        current_app.extensions["live_store"] = found
    return found


def held_streams() -> HeldStreams:
    """This process's count of the event streams it holds open (one per app)."""
    found: HeldStreams | None = current_app.extensions.get("live_holds")
    if found is None:
        found = current_app.extensions.setdefault("live_holds", HeldStreams())
    return found


def hold_limits() -> HoldLimits:
    config = current_app.config
    return HoldLimits(
        int(config["LIVE_HELD_STREAMS_PER_WORKER"]),
        int(config["LIVE_HELD_STREAMS_PER_GAME"]),
        int(config["LIVE_HELD_STREAMS_PER_CLIENT"]),
    )


def stream_state(meta: dict[str, Any], hosting: bool) -> dict[str, Any]:
    """What an event stream says first: the game's version and phase and, for the host,
    how many have joined and answered (so a host who reconnects misses no count)."""
    state: dict[str, Any] = {"v": meta["version"], "phase": meta["phase"]}
    if hosting:
        state["players"] = store().player_count(meta["pin"])
        if meta["phase"] == rules.QUESTION:
            state["answered"] = answered_count(meta)
    return state


# ---------------------------------------------------------------- creating a game


def draw_questions(categories: list[str], count: int) -> list[str]:
    return draw(active_pool(), QuizSpec(tuple(categories), count=count), random.Random())


def create_game(
    teacher: User,
    question_ids: list[str],
    title: str,
    seconds: int,
    team_mode: bool,
    school_class: SchoolClass | None,
    quiz_set: QuizSet | None,
    now: datetime,
) -> str:
    """A new game in its lobby; returns its PIN (one no game in play is using)."""
    meta = {
        "key": secrets.token_hex(16),
        "teacher_id": teacher.id,
        "title": title,
        "question_ids": question_ids,
        "seconds": seconds,
        "team_mode": team_mode,
        "class_id": school_class.id if school_class else None,
        "quiz_set_id": quiz_set.id if quiz_set else None,
        "phase": rules.LOBBY,
        "index": 0,
        "version": 1,
        "created_at": now.isoformat(),
        "began_at": None,
        "opened_at": None,
        "teams": {},
        "attempts": {},
        "game_id": None,
    }
    rng = random.SystemRandom()
    while True:
        pin = rules.new_pin(rng)
        if store().create(pin, {**meta, "pin": pin}):
            return pin


def game(pin: str) -> dict[str, Any] | None:
    return store().get(pin) if rules.is_pin(pin) else None


# ---------------------------------------------------------------- players


@dataclass(frozen=True)
class Player:
    token: str
    nickname: str
    user_id: int | None
    key: str


def players(pin: str) -> dict[str, Player]:
    return {
        token: Player(token, data["nickname"], data.get("user_id"), data["key"])
        for token, data in store().players(pin).items()
    }


def join(meta: dict[str, Any], nickname: str, user: User | None, token: str | None) -> str:
    """Put the player in the game and return their token; raises ``ValueError`` with the
    reason when the nickname will not do. A signed-in player keeps one seat whatever
    device they join from; a phone that comes back with its token keeps its seat."""
    pin = meta["pin"]
    live = store()
    seats = players(pin)
    if user is not None:
        token = live.token_of_user(pin, user.id, token or secrets.token_urlsafe(16))
    elif token is None or token not in seats:
        token = secrets.token_urlsafe(16)
    mine = seats.get(token)
    if mine is not None and rules.nickname_key(nickname) == mine.key:
        return token
    problem = rules.nickname_problem(
        nickname, [seat.nickname for other, seat in seats.items() if other != token]
    )
    if problem is None and meta["phase"] != rules.LOBBY and mine is None and user is None:
        problem = "This game has already started; ask your teacher for the next one."
    if problem is not None:
        raise ValueError(problem)
    name = rules.clean_nickname(nickname)
    player = {"nickname": name, "user_id": user.id if user else None}
    if not live.join(pin, token, player, rules.nickname_key(name)):
        raise ValueError("Someone in this game already has that nickname; choose another.")
    live.publish(pin, {"kind": "roster", "v": meta["version"], "count": len(seats) + 1})
    return token


def remove_player(meta: dict[str, Any], token: str) -> bool:
    seat = players(meta["pin"]).get(token)
    if seat is None:
        return False
    store().remove(meta["pin"], token, seat.key)
    store().publish(meta["pin"], {"kind": "roster", "v": meta["version"], "kicked": token})
    return True


# ---------------------------------------------------------------- questions and answers


@dataclass(frozen=True)
class LiveQuestion:
    """What a live page shows of a question, read once per game in each process (every
    phone loads its page again at each change of phase)."""

    id: str
    kind: str
    prompt: str
    answer: Any
    choices: tuple[str, ...]
    answer_text: str
    core: BankQuestion
    evidence: list[Any]


_QUESTIONS: dict[str, list[LiveQuestion]] = {}
_QUESTIONS_LOCK = threading.Lock()


def questions_of(meta: dict[str, Any]) -> list[LiveQuestion]:
    with _QUESTIONS_LOCK:
        found = _QUESTIONS.get(meta["key"])
    if found is not None:
        return found
    ids = meta["question_ids"]
    rows = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    found = []
    for qid in ids:
        if qid in rows:
            core = rows[qid].to_core()
            found.append(
                LiveQuestion(
                    core.id,
                    core.kind,
                    core.prompt,
                    core.answer,
                    core.choices,
                    core.answer_text,
                    core,
                    evidence_in_context(rows[qid]),
                )
            )
    with _QUESTIONS_LOCK:
        if len(_QUESTIONS) > 64:
            _QUESTIONS.clear()
        _QUESTIONS[meta["key"]] = found
    return found


def options_for(meta: dict[str, Any], index: int, question: LiveQuestion) -> list[str]:
    """The options of a multiple choice question (or the events of a timeline), in an
    order fixed for this game and question, so every phone and the projector agree."""
    if question.kind == "choice":
        items = list(question.choices)
    elif question.kind == "order":
        items = list(question.answer)
    else:
        return []
    random.Random(f"{meta['key']}:{index}").shuffle(items)
    return items


def elapsed(meta: dict[str, Any], now: datetime) -> float:
    if not meta.get("opened_at"):
        return 0.0
    return (now - datetime.fromisoformat(meta["opened_at"])).total_seconds()


def submit(
    meta: dict[str, Any],
    token: str,
    index: int,
    question: LiveQuestion,
    response: str,
    now: datetime,
) -> Verdict | str:
    """Grade and keep one answer; or the reason it cannot count (late, twice, closed)."""
    pin = meta["pin"]
    if store().player(pin, token) is None:
        return "You are not in this game."
    taken = elapsed(meta, now)
    already = store().answer_of(pin, index, token) is not None
    refusal = rules.answer_refusal(
        meta["phase"], meta["index"], index, taken, meta["seconds"], already
    )
    if refusal is not None:
        return refusal
    verdict = grade(question.core, response)
    answer = {
        "response": response,
        "correct": verdict.correct,
        "near_miss": verdict.near_miss,
        "elapsed": round(taken, 3),
    }
    if not store().answer(pin, index, token, answer):
        return "You have already answered this question."
    count = store().answer_count(pin, index)
    store().publish(pin, {"kind": "answer", "v": meta["version"], "count": count})
    return verdict


def seat_of(meta: dict[str, Any], token: str | None, user: User | None) -> str | None:
    """The player's token if they have a seat: by account when signed in, else by the
    token their phone holds."""
    pin = meta["pin"]
    if user is not None:
        mine = store().user_token(pin, user.id)
        if mine is not None and store().player(pin, mine) is not None:
            return mine
    return token if token and store().player(pin, token) is not None else None


def answer_of(meta: dict[str, Any], index: int, token: str) -> rules.LiveAnswer | None:
    found = store().answer_of(meta["pin"], index, token)
    return _live_answer(found) if found is not None else None


def _live_answer(data: dict[str, Any]) -> rules.LiveAnswer:
    return rules.LiveAnswer(
        data["response"], bool(data["correct"]), float(data["elapsed"]), bool(data["near_miss"])
    )


def rounds_played(meta: dict[str, Any]) -> int:
    """How many questions count in the scores shown now: the open question does not
    (its answers are not revealed yet)."""
    if meta.get("began_at") is None:
        return 0
    if meta["phase"] == rules.QUESTION:
        return meta["index"]
    return meta["index"] + 1


def all_rounds(meta: dict[str, Any], count: int) -> list[dict[str, rules.LiveAnswer]]:
    return [
        {token: _live_answer(data) for token, data in store().answers(meta["pin"], n).items()}
        for n in range(count)
    ]


#: Standings worked out in this process, by game, version and number of players: every
#: phone reloads its page on each change of phase, and the board is the same for all.
_BOARDS: dict[tuple[str, int, int], list[rules.Standing]] = {}
_BOARDS_LOCK = threading.Lock()


def standings(meta: dict[str, Any]) -> list[rules.Standing]:
    """The board after the questions revealed so far (cached but for the lobby, where
    players still join and change their nicknames)."""
    if meta["phase"] == rules.LOBBY:
        return _standings(meta)
    key = (meta["key"], meta["version"], store().player_count(meta["pin"]))
    with _BOARDS_LOCK:
        found = _BOARDS.get(key)
    if found is None:
        found = _standings(meta)
        with _BOARDS_LOCK:
            if len(_BOARDS) > 256:
                _BOARDS.clear()
            _BOARDS[key] = found
    return found


def _standings(meta: dict[str, Any]) -> list[rules.Standing]:
    seats = players(meta["pin"])
    return rules.standings(
        {token: seat.nickname for token, seat in seats.items()},
        all_rounds(meta, rounds_played(meta)),
        meta["seconds"],
        meta["teams"] if meta["team_mode"] else None,
    )


def histogram(meta: dict[str, Any], question: LiveQuestion) -> list[rules.Bar]:
    given = [_live_answer(a) for a in store().answers(meta["pin"], meta["index"]).values()]
    options = options_for(meta, meta["index"], question) if question.kind == "choice" else []
    return rules.histogram(given, options, len(players(meta["pin"])))


def answered_count(meta: dict[str, Any]) -> int:
    return store().answer_count(meta["pin"], meta["index"])


# ---------------------------------------------------------------- the teacher's pace


def act(meta: dict[str, Any], action: str, now: datetime) -> bool:
    """Move the game on as the teacher asked; False if that makes no sense now."""
    moved = rules.next_phase(meta["phase"], meta["index"], len(meta["question_ids"]), action)
    if moved is None:
        return False
    phase, index = moved
    if action == "start":
        meta["began_at"] = now.isoformat()
        if meta["team_mode"]:
            meta["teams"] = rules.assign_teams(players(meta["pin"]), random.Random())
    if phase == rules.QUESTION:
        meta["opened_at"] = now.isoformat()
    meta.update(phase=phase, index=index, version=meta["version"] + 1)
    if phase == rules.FINISHED:
        save_results(meta, now)
    store().put(meta["pin"], meta)
    store().publish(meta["pin"], {"kind": "phase", "v": meta["version"], "phase": phase})
    return True


# ---------------------------------------------------------------- results


def save_results(meta: dict[str, Any], now: datetime) -> None:
    """File the game: a ``LiveGame`` with the final standings and, for each signed-in
    player, a finished attempt with their answers; for a class, the attempts of its
    members go under an assignment of the game's set, closed when the game ended,
    so the gradebook and item analysis read them like any assignment."""
    if meta.get("game_id") or meta.get("began_at") is None:
        return
    questions = questions_of(meta)
    if not questions:
        return
    began = datetime.fromisoformat(meta["began_at"])
    seats = players(meta["pin"])
    final = standings(meta)
    assignment = _class_assignment(meta, questions, began, now)
    record = LiveGame(
        session_key=meta["key"],
        pin=meta["pin"],
        teacher_id=meta["teacher_id"],
        class_id=meta["class_id"],
        assignment_id=assignment.id if assignment else None,
        title=meta["title"],
        question_ids=[q.id for q in questions],
        seconds=meta["seconds"],
        team_mode=meta["team_mode"],
        results=[
            {
                "nickname": s.nickname,
                "score": s.score,
                "correct": s.correct,
                "team": s.team,
                "user_id": seats[s.token].user_id,
            }
            for s in final
        ],
        started_at=began,
        finished_at=now,
    )
    db.session.add(record)
    rounds = all_rounds(meta, rounds_played(meta))
    attempts = []
    for token, seat in seats.items():
        if seat.user_id is None:
            continue
        member = assignment is not None and is_member(assignment.class_id, seat.user_id)
        attempt = _attempt(meta, questions, rounds, token, seat.user_id, began, now)
        if member and assignment is not None:
            attempt.assignment_id, attempt.attempt_number = assignment.id, 1
        db.session.add(attempt)
        attempts.append((token, attempt))
    try:
        db.session.commit()
    except IntegrityError:  # saved already, by another worker's request
        db.session.rollback()
        return
    meta["game_id"] = record.id
    meta["attempts"] = {token: attempt.id for token, attempt in attempts}


def _class_assignment(
    meta: dict[str, Any], questions: list[Question], began: datetime, now: datetime
) -> Assignment | None:
    if meta["class_id"] is None:
        return None
    quiz_set = db.session.get(QuizSet, meta["quiz_set_id"]) if meta["quiz_set_id"] else None
    if quiz_set is None:  # a quick draw: the game's questions become a set of their own
        quiz_set = QuizSet(
            teacher_id=meta["teacher_id"],
            title=f"Live: {meta['title']}"[:120],
            instructions="Played live in class.",
            question_ids=[q.id for q in questions],
            shuffle=False,
            attempts_allowed=1,
            feedback="end",
            created_at=now,
            updated_at=now,
        )
        db.session.add(quiz_set)
        db.session.flush()
    assignment = Assignment(
        class_id=meta["class_id"],
        quiz_set_id=quiz_set.id,
        opens_at=began,
        due_at=now,
        accept_late=False,
        add_to_deck=False,
        created_at=now,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def _attempt(
    meta: dict[str, Any],
    questions: list[LiveQuestion],
    rounds: list[dict[str, rules.LiveAnswer]],
    token: str,
    user_id: int,
    began: datetime,
    now: datetime,
) -> QuizAttempt:
    attempt = QuizAttempt(
        user_id=user_id,
        title=f"Live: {meta['title']}"[:120],
        question_ids=[q.id for q in questions],
        feedback="each",
        started_at=began,
        finished_at=now,
        settings={"live_pin": meta["pin"], "always_choice": False},
    )
    for position, question in enumerate(questions, start=1):
        given = rounds[position - 1].get(token) if position <= len(rounds) else None
        attempt.answers.append(
            QuizAnswer(
                position=position,
                question_id=question.id,
                response=given.response if given else "",
                correct=bool(given and given.correct),
                near_miss=bool(given and given.near_miss),
                answered_at=began + timedelta(seconds=given.elapsed) if given else now,
            )
        )
    attempt.score = sum(1 for answer in attempt.answers if answer.correct)
    return attempt


def send_misses(meta: dict[str, Any], token: str, user: User, now: datetime) -> tuple[int, int]:
    """The questions the player missed, into their study deck: (added, already there)."""
    attempt_id = meta.get("attempts", {}).get(token)
    attempt = attempt_for(user, attempt_id) if attempt_id else None
    if attempt is None:
        return 0, 0
    return send_missed_to_deck(user, attempt, now)
