"""Live games: joining and playing on a phone, hosting on the projector, the event stream.

A player is known by a cookie holding their token (so a phone that drops off comes back
to its seat and score), or, signed in, by their account. The host is the teacher who
made the game, by their session, so a reload keeps control.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from quizapp.core import live as rules
from quizapp.core.streams import last_seen, sse
from quizapp.core.throttling import LIVE_PIN_PER_ADDRESS
from quizapp.extensions import db
from quizapp.live import bp, service
from quizapp.live.forms import JoinForm, NewGameForm
from quizapp.live.store import GONE, held_stream
from quizapp.models import LiveGame, utcnow
from quizapp.teach.service import classes_of, owned_class, owned_set, sets_of
from quizapp.web.accounts import signed_in_user
from quizapp.web.answers import response_from_form
from quizapp.web.throttle import Refusal, client_address, throttle

COOKIE_SECONDS = 6 * 3600


def _cookie_name(pin: str) -> str:
    return f"live_{pin}"


def _game_or_404(pin: str) -> dict[str, Any]:
    """The game, or 404; an address that keeps asking for games that do not exist is
    refused for a while (429), so PINs cannot be walked through these pages."""
    return _find_game(pin) or abort(404)


def _find_game(pin: str) -> dict[str, Any] | None:
    """The game, if it exists; a PIN of no game counts against this address. Every route
    looks a game up here and nowhere else.

    Past the limit only the game's own players and host get through (their seat is
    proof they did not guess the PIN), so a classmate's guessing cannot stop a game.
    They are not counted at all: a room of phones polling its game's events asks
    nothing of the counters."""
    meta = service.game(pin)
    if meta is not None and _seated_or_hosting(meta):
        return meta
    counters, address = throttle(), client_address()
    refusal = counters.refused(LIVE_PIN_PER_ADDRESS, address)
    if refusal is None and meta is None:
        refusal = counters.spend(LIVE_PIN_PER_ADDRESS, address)
    if refusal is not None:
        abort(_too_many_pins(refusal))
    return meta


def _seated_or_hosting(meta: dict[str, Any]) -> bool:
    return _hosting(meta) or _my_token(meta) is not None


def _too_many_pins(refusal: Refusal) -> Response:
    """429 with the join form, so the page says what to do and when."""
    form = JoinForm()
    form.pin.errors = [
        f"Too many wrong PINs from your network. Wait {refusal.wait}, then try again."
    ]
    page = render_template("live/join.html", form=form)
    return Response(page, 429, refusal.headers)


def _my_token(meta: dict[str, Any]) -> str | None:
    """The player's seat in this game: by account when signed in, else by cookie."""
    user = signed_in_user() if current_user.is_authenticated else None
    return service.seat_of(meta, request.cookies.get(_cookie_name(meta["pin"])), user)


def _seated(pin: str) -> tuple[dict[str, Any], str] | None:
    """The game and the asker's seat in it, or None when they have none. To anyone
    without a seat an unknown PIN, a game in play and a game that has ended look alike;
    a player with a seat in a finished game still sees their results."""
    meta = _find_game(pin)
    token = _my_token(meta) if meta is not None else None
    return (meta, token) if meta is not None and token is not None else None


def _hosting(meta: dict[str, Any]) -> bool:
    return current_user.is_authenticated and meta["teacher_id"] == current_user.id


def _hosted(pin: str) -> dict[str, Any]:
    """The game, only for the teacher who made it (students 403, other teachers 404)."""
    if not current_user.is_teacher:
        abort(403)
    meta = _game_or_404(pin)
    if meta["teacher_id"] != current_user.id:
        abort(404)
    return meta


# ---------------------------------------------------------------- joining


@bp.route("/", methods=["GET", "POST"])
def index() -> str | BaseResponse | tuple[str, int]:
    form = JoinForm()
    if request.method == "GET":
        form.pin.data = request.args.get("pin", "")[:6]
        if current_user.is_authenticated:
            form.nickname.data = current_user.display_name[: rules.NICKNAME_MAX]
    if form.validate_on_submit():
        meta = _find_game(form.pin.data)
        if meta is None or meta["phase"] == rules.FINISHED:
            form.pin.errors = ["No game with that PIN is running. Check the big screen."]
        else:
            user = signed_in_user() if current_user.is_authenticated else None
            try:
                token = service.join(
                    meta, form.nickname.data, user, request.cookies.get(_cookie_name(meta["pin"]))
                )
            except ValueError as refusal:
                form.nickname.errors = [str(refusal)]
            else:
                response = redirect(url_for("live.play", pin=meta["pin"]))
                response.set_cookie(
                    _cookie_name(meta["pin"]),
                    token,
                    max_age=COOKIE_SECONDS,
                    path=url_for("live.index"),
                    httponly=True,
                    samesite="Lax",
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                )
                return response
    status = 400 if form.errors else 200
    return render_template("live/join.html", form=form), status


# ---------------------------------------------------------------- playing


@bp.route("/<pin>/play")
def play(pin: str) -> str | BaseResponse:
    seated = _seated(pin)
    if seated is None:
        return redirect(url_for("live.index", pin=pin))
    meta, token = seated
    questions = service.questions_of(meta)
    question = questions[meta["index"]] if questions else None
    table = service.standings(meta)
    mine = next((s for s in table if s.token == token), None)
    context: dict[str, Any] = {
        "meta": meta,
        "question": question,
        "total": len(questions),
        "me": mine,
        "place": rules.ordinal(table.index(mine) + 1) if mine else "",
        "table": table,
        "teams": rules.team_standings(table) if meta["team_mode"] else [],
        "answer": service.answer_of(meta, meta["index"], token) if question else None,
        "options": service.options_for(meta, meta["index"], question) if question else [],
        "shared": service.store().shared,
    }
    if meta["phase"] == rules.QUESTION:
        taken = service.elapsed(meta, utcnow())
        context["seconds_left"] = rules.seconds_left(taken, meta["seconds"])
    if meta["phase"] == rules.FINISHED:
        context["can_keep"] = bool(meta.get("attempts", {}).get(token))
    return render_template("live/play.html", **context)


@bp.route("/<pin>/answer", methods=["POST"])
def answer(pin: str) -> BaseResponse:
    seated = _seated(pin)
    if seated is None:
        return redirect(url_for("live.index", pin=pin))
    meta, token = seated
    questions = service.questions_of(meta)
    index = request.form.get("index", "")
    if not index.isdigit() or int(index) != meta["index"] or int(index) >= len(questions):
        flash("That question is closed.", "error")
        return redirect(url_for("live.play", pin=pin))
    question = questions[int(index)]
    response = response_from_form(question, request.form)
    if response is None:
        flash("Place every event exactly once.", "error")
        return redirect(url_for("live.play", pin=pin))
    outcome = service.submit(meta, token, int(index), question, response, utcnow())
    if isinstance(outcome, str):
        flash(outcome, "error")
    return redirect(url_for("live.play", pin=pin))


@bp.route("/<pin>/deck", methods=["POST"])
@login_required
def deck(pin: str) -> BaseResponse:
    seated = _seated(pin)
    if seated is None or seated[0]["phase"] != rules.FINISHED:
        flash("Your missed questions can go to your deck when the game is over.", "error")
        return redirect(url_for("live.play", pin=pin))
    meta, token = seated
    added, kept = service.send_misses(meta, token, signed_in_user(), utcnow())
    flash(
        f"{added} missed question{'s' * (added != 1)} added to your study deck"
        + (f"; {kept} already there." if kept else "."),
        "success",
    )
    return redirect(url_for("live.play", pin=pin))


@bp.route("/<pin>/events")
def events(pin: str) -> Response:
    """The game's Server-Sent Events, each with the game's version as its ``id``.

    A browser behind the game (its ``Last-Event-ID``, or the ``?v=`` of its page, is
    not the version now) is answered at once with the state; one caught up is held
    until the next event, briefly and only while this worker has room (see
    ``quizapp.core.streams``), else answered at once too, and told when to ask again.
    Anyone without a seat gets the same "gone" answer whether the game exists or not."""
    meta = _find_game(pin)
    hosting = meta is not None and _hosting(meta)
    token = _my_token(meta) if meta is not None and not hosting else None
    if meta is None or not (hosting or token):
        return _event_stream(GONE)
    state = service.stream_state(meta, hosting)
    config = current_app.config
    poll_ms = int(1000 * float(config["LIVE_POLL_SECONDS"]) * random.uniform(0.5, 1.0))
    hold = float(config["LIVE_HOLD_SECONDS"])
    seen = last_seen(request.headers.get("Last-Event-ID"), request.args.get("v"))
    if seen != meta["version"] or meta["phase"] == rules.FINISHED or hold <= 0:
        return _event_stream(sse(state, event="hello", version=meta["version"], retry=poll_ms))
    client, audience = ("host", None) if hosting else (token or "", token)
    body = held_stream(
        service.store(),
        service.held_streams(),
        service.hold_limits(),
        pin,
        client,
        audience,
        state,
        hold,
        poll_ms,
    )
    # The stream needs no request context: the store and its first event are in hand.
    return _event_stream(body)


def _event_stream(body: str | Iterator[str]) -> Response:
    response = Response(body, mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    return response


# ---------------------------------------------------------------- hosting


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | BaseResponse | tuple[str, int]:
    if not current_user.is_teacher:
        abort(403)
    teacher = signed_in_user()
    form = NewGameForm()
    form.quiz_set.choices = [SelectChoice(0, "A quick draw from the bank")] + [
        SelectChoice(s.id, f"{s.title} ({len(s.question_ids)} questions)") for s in sets_of(teacher)
    ]
    form.school_class.choices = [SelectChoice(0, "No class (nothing is filed)")] + [
        SelectChoice(c.id, c.name) for c in classes_of(teacher)
    ]
    if form.validate_on_submit():
        quiz_set = owned_set(teacher, form.quiz_set.data) if form.quiz_set.data else None
        school_class = (
            owned_class(teacher, form.school_class.data) if form.school_class.data else None
        )
        if quiz_set is not None:
            question_ids, title = list(quiz_set.question_ids), quiz_set.title
        else:
            question_ids = service.draw_questions(list(form.categories.data or ()), form.count.data)
            title = "Quick draw"
        if question_ids:
            pin = service.create_game(
                teacher,
                question_ids,
                title,
                form.seconds.data,
                form.team_mode.data,
                school_class,
                quiz_set,
                utcnow(),
            )
            return redirect(url_for("live.host", pin=pin))
        form.quiz_set.errors = ["There are no questions to play: pick a set or other categories."]
    status = 400 if form.errors else 200
    return render_template("live/new.html", form=form, shared=service.store().shared), status


@bp.route("/<pin>/host", methods=["GET", "POST"])
@login_required
def host(pin: str) -> str | BaseResponse:
    meta = _hosted(pin)
    if request.method == "POST":
        action = request.form.get("action", "")
        if action not in rules.ACTIONS:
            abort(400)
        if not service.act(meta, action, utcnow()):
            flash("The game had already moved on.", "info")
        return redirect(url_for("live.host", pin=pin))
    questions = service.questions_of(meta)
    question = questions[meta["index"]] if questions else None
    seats = service.players(pin)
    table = service.standings(meta)
    context: dict[str, Any] = {
        "meta": meta,
        "question": question,
        "total": len(questions),
        "seats": sorted(seats.values(), key=lambda seat: seat.nickname.casefold()),
        "table": table,
        "teams": rules.team_standings(table) if meta["team_mode"] else [],
        "options": service.options_for(meta, meta["index"], question) if question else [],
        "join_url": url_for("live.index", pin=pin, _external=True),
        "shared": service.store().shared,
        "answered": service.answered_count(meta),
    }
    if meta["phase"] == rules.QUESTION:
        context["seconds_left"] = rules.seconds_left(
            service.elapsed(meta, utcnow()), meta["seconds"]
        )
    if meta["phase"] == rules.REVEAL and question is not None:
        context["bars"] = service.histogram(meta, question)
    if meta["phase"] == rules.FINISHED and meta.get("game_id"):
        record = db.session.get(LiveGame, meta["game_id"])
        context["assignment_id"] = record.assignment_id if record else None
    return render_template("live/host.html", **context)


@bp.route("/<pin>/remove", methods=["POST"])
@login_required
def remove(pin: str) -> BaseResponse:
    meta = _hosted(pin)
    seat = service.players(pin).get(request.form.get("token", ""))
    if seat is not None and service.remove_player(meta, seat.token):
        flash(f"{seat.nickname} was removed from the game.", "success")
    return redirect(url_for("live.host", pin=pin))


@bp.route("/<pin>/qr.svg")
def qr_code(pin: str) -> Response:
    """The join link as a QR code, for the projector (drawn by segno, imported here: only
    a worker that draws one holds it). It is drawn for any well-formed PIN, without
    looking the game up: the code is only the link, and so tells no one which games
    are in play."""
    import segno

    if not rules.is_pin(pin):
        abort(404)
    code = segno.make(url_for("live.index", pin=pin, _external=True), error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=8, border=2, title="Join link", xmldecl=False)
    return Response(out.getvalue(), mimetype="image/svg+xml")
