"""What a signed-in page can cost on this stack: the study GET beside lean stand-ins.

Run: .venv/bin/python bench/ceiling.py [--db sqlite,postgres]   (in process)
     .venv/bin/python bench/ceiling.py --served [--db sqlite,postgres] [--connections 1,8,32]

The load benchmark (``bench/load.py``) says how far the study GET is from the issue's
0.3x hello; this says how far *any* signed-in page on Flask, Flask-Login and
SQLAlchemy could get. Beside hello and the study GET as built, it times stand-in routes
added to the same app for the run (never to the product):

- signed out, returning a string: the app's own hooks and nothing else;
- signed in as every page is (the session cookie, the hooks, Flask-Login loading the
  account), rendering a bare template without the layout: the floor of a signed-in page;
- the same, plus the day statement (the very statement the study GET runs);
- and plus the queue head, read as rows through Core instead of ORM cards.

In process (the default) it uses Flask's test client, so no server or network is in the
figures: interleaved rounds, medians. With ``--served`` the routes run under the load
benchmark's gunicorn and wrk, interleaved with the hello app as ``bench/load.py`` runs
them, so the figures are the issue's own ratio. That run also serves the required
stack alone (``framework_app``: Flask, Flask-SQLAlchemy and Flask-Login reading the
same session and ``users`` table, and none of quizapp's code) to show what the
framework leaves for any signed-in page. Each database is fresh and dropped afterwards
(PostgreSQL's on 127.0.0.1:5432, as for ``bench/load.py``). It asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # the load benchmark's seeding and sign-in

CARD_PAGE = (
    "<!doctype html><title>Study</title><h1>{{ question }}</h1><form method=post>"
    "<input type=hidden name=csrf_token value='{{ csrf_token() }}'>"
    "<input type=hidden name=question_id value='{{ question }}'>"
    "<button>Show answer</button></form>"
)
STEPS = ("signed in", "day", "head")
SIGNED_OUT = "/_lean/0"
#: The signed-in rows of both modes: the stand-ins, then the page they stand in for.
SIGNED_IN_ROUTES = (
    ("lean: signed in, a bare page", "/_lean/1"),
    ("lean: + the day statement", "/_lean/2"),
    ("lean: + the queue head as rows", "/_lean/3"),
    ("the study GET as built", "/study/"),
)
FRAMEWORK_ROWS = (
    ("orm", "the stack alone: Flask-Login loads the account (ORM), returns a string"),
    ("core", "the stack alone: Flask-Login loads the account (Core), returns a string"),
)
BENCH_FOLDER = Path(__file__).resolve().parent


def add_lean_routes(app: Flask) -> None:
    from quizapp.extensions import db
    from quizapp.models import Card, utcnow
    from quizapp.study import service
    from quizapp.web.accounts import signed_in_user

    cards = Card.__table__
    head = (
        select(cards.c.question_id, cards.c.due, cards.c.reps, cards.c.lapses)
        .where(cards.c.user_id == bindparam("user_id"), cards.c.reps > 0)
        .order_by(cards.c.due)
        .limit(service.QUEUE_HEAD)
    )
    page = app.jinja_env.from_string(CARD_PAGE)

    def lean(steps: tuple[str, ...]) -> Callable[[], str]:
        def view() -> str:
            user = signed_in_user()
            question = "none"
            if "day" in steps:
                service.today(user, utcnow())  # the day statement, through Core already
            if "head" in steps:
                rows = db.session.connection().execute(head, {"user_id": user.id})
                question = rows.first().question_id
            return page.render(question=question, csrf_token=generate_csrf)

        return view

    app.add_url_rule(SIGNED_OUT, "lean_0", lambda: "hello")  # signed out: the hooks alone
    for n in range(1, len(STEPS) + 1):
        steps = STEPS[:n]
        app.add_url_rule(f"/_lean/{n}", f"lean_{n}", lean(steps))


def served_app() -> Flask:
    """The app as gunicorn serves it (configured from the environment) plus the lean
    routes: the target ``ceiling:served_app()`` of ``--served``."""
    from quizapp import create_app

    app = create_app()
    add_lean_routes(app)
    return app


def framework_app(account_read: str = "orm") -> Flask:
    """The required stack alone, for ``--served``: Flask, Flask-SQLAlchemy and Flask-Login
    loading the signed-in account (from the same session cookie and ``users`` table as
    quizapp) for a page that returns a string. None of quizapp's code runs in it, so its
    ratio to hello is what the stack itself leaves for any signed-in page.

    ``account_read`` is ``"orm"`` (``session.get`` of a one-column model, the ORM's
    cheapest read) or ``"core"`` (one Core statement and a plain object)."""
    import os

    from flask_login import LoginManager, UserMixin, current_user, login_required
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import Integer
    from sqlalchemy.orm import DeclarativeBase, mapped_column

    class Base(DeclarativeBase):
        pass

    store = SQLAlchemy(model_class=Base)

    class Account(UserMixin, store.Model):  # type: ignore[name-defined,misc]
        __tablename__ = "users"
        id = mapped_column(Integer, primary_key=True)

    users = Account.__table__
    by_id = select(users.c.id).where(users.c.id == bindparam("user_id"))

    def through_orm(user_id: int) -> Account | None:
        return store.session.get(Account, user_id)

    def through_core(user_id: int) -> UserMixin | None:
        found = store.session.execute(by_id, {"user_id": user_id}).scalar()
        if found is None:
            return None
        account = UserMixin()
        account.id = found  # type: ignore[attr-defined]
        return account

    read = {"orm": through_orm, "core": through_core}[account_read]
    app = Flask("framework")
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"], SQLALCHEMY_DATABASE_URI=os.environ["DATABASE_URL"]
    )
    store.init_app(app)
    logins = LoginManager(app)
    logins.user_loader(lambda key: read(int(key.partition(":")[0])))

    @app.get("/")
    @login_required
    def page() -> str:
        return f"hello {current_user.id}"

    return app


def median_ms(client: FlaskClient, url: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def served(url: str, work: Path, connections: list[int], seconds: int) -> None:
    """The lean routes and the study GET under gunicorn, each against hello, with wrk."""
    load.STUDENTS = 50
    cookies = [
        s.cookie for s in load.seed_world(load.make_app(url, work / "instance"), 20_000).students
    ]
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": load.SECRET,
        "QUIZAPP_INSTANCE_PATH": str(work / "instance"),
    }
    print(f"\n### served ({url.split(':')[0]}), gunicorn -w {load.WORKERS}\n")
    print(load.TABLE_HEAD, flush=True)
    for account_read, label in FRAMEWORK_ROWS:
        target = f"ceiling:framework_app({account_read!r})"
        serve_rows(target, [(label, "/", cookies)], env, work, connections, seconds)
    rows = [("quizapp, signed out: its hooks, returns a string", SIGNED_OUT, [""])]
    rows += [(label, path, cookies) for label, path in SIGNED_IN_ROUTES]
    serve_rows("ceiling:served_app()", rows, env, work, connections, seconds)


def serve_rows(
    target: str,
    rows: list[tuple[str, str, list[str]]],
    env: dict[str, str],
    work: Path,
    connections: list[int],
    seconds: int,
) -> None:
    """Serve ``target`` beside hello and print a row per (label, path, cookies) and
    connection count, as ``bench/load.py`` does."""
    with (
        load.gunicorn("hello:app", {}, BENCH_FOLDER) as (hello, _),
        load.gunicorn(target, env, BENCH_FOLDER) as (app, _),
    ):
        bench = load.Bench(hello, app, seconds, work)
        for label, path, cookies in rows:
            script = bench.script("GET", [path], cookies)
            for count in connections:
                bench.row(label, count, lambda script=script: script)


def in_process(url: str, work: Path, rounds: int) -> None:
    """Hello, the lean routes and the study GET through Flask's test client."""
    from quizapp.extensions import db

    load.STUDENTS = 3
    seeded = load.make_app(url, work / "instance")
    student = load.seed_world(seeded, 2_000).students[0]

    app = load.make_app(url, work / "instance")  # a fresh app, so routes may be added
    add_lean_routes(app)
    hello = Flask("hello")
    hello.get("/")(lambda: "Hello, World!")
    signed_in = app.test_client()
    signed_in.set_cookie("session", student.cookie)
    rows = {"hello": (hello.test_client(), "/")}
    rows.update((label, (signed_in, path)) for label, path in SIGNED_IN_ROUTES)
    for client, path in rows.values():
        assert client.get(path).status_code == 200, path
    timings: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(rounds):
        for name, (client, path) in rows.items():
            timings[name].append(median_ms(client, path, 150))
    hello_ms = statistics.median(timings["hello"])
    print(f"| in process ({url.split(':')[0]}) | ms | hello's time / this |\n|---|---|---|")
    for name, samples in timings.items():
        ms = statistics.median(samples)
        print(f"| {name} | {ms:.3f} | {hello_ms / ms:.3f} |")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--db", type=lambda s: s.split(","), default=["sqlite"])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--served", action="store_true")
    parser.add_argument("--connections", type=load.numbers, default=[1, 8, 32])
    parser.add_argument("--seconds", type=int, default=3)
    args = parser.parse_args()
    for kind in args.db:
        work = Path(tempfile.mkdtemp(prefix="quizapp-ceiling-"))
        with load.database(kind) as url:  # fresh, and dropped afterwards
            if args.served:
                served(url, work, args.connections, args.seconds)
            else:
                in_process(url, work, args.rounds)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
