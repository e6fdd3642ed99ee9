"""What a study card costs in this stack, as built and built lean, in one process.

Run: .venv/bin/python bench/ceiling.py [--database-url URL]   (default: a throwaway SQLite)

The load benchmark (``bench/load.py``) says how far the study GET is from the issue's
0.3x hello; this says how far *any* page on Flask, Flask-Login and SQLAlchemy could get.
Beside hello and the study GET as built, it times three stand-in routes added to the
same app for the run (never to the product). Each is signed in as every page is (the
session cookie, the app's hooks, Flask-Login loading the account), then does a growing
share of the study GET's work through SQLAlchemy Core, and renders a bare template
without the layout:

- nothing more: the floor of any signed-in page;
- the day statement (the same prepared statement the study GET runs);
- and the queue head, as rows instead of ORM cards.

Interleaved rounds, medians; Flask's test client, so no server or network is in the
figures. It asserts nothing.
"""

from __future__ import annotations

import argparse
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

    for n in range(1, len(STEPS) + 1):
        steps = STEPS[:n]
        app.add_url_rule(f"/_lean/{n}", f"lean_{n}", lean(steps))


def median_ms(client: FlaskClient, url: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="quizapp-ceiling-"))
    url = args.database_url or f"sqlite:///{work}/ceiling.sqlite3"
    load.STUDENTS = 3
    seeded = load.make_app(url, work / "instance")
    student = load.seed_world(seeded, 2_000).students[0]

    app = load.make_app(url, work / "instance")  # a fresh app, so routes may be added
    add_lean_routes(app)
    hello = Flask("hello")
    hello.get("/")(lambda: "Hello, World!")
    signed_in = app.test_client()
    signed_in.set_cookie("session", student.cookie)
    rows = {
        "hello": (hello.test_client(), "/"),
        "lean: signed in, a bare page": (signed_in, "/_lean/1"),
        "lean: + the day statement": (signed_in, "/_lean/2"),
        "lean: + the queue head as rows": (signed_in, "/_lean/3"),
        "the study GET as built": (signed_in, "/study/"),
    }
    for client, path in rows.values():
        assert client.get(path).status_code == 200, path
    timings: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(args.rounds):
        for name, (client, path) in rows.items():
            timings[name].append(median_ms(client, path, 150))
    hello_ms = statistics.median(timings["hello"])
    print(f"| in process ({url.split(':')[0]}) | ms | hello's time / this |\n|---|---|---|")
    for name, samples in timings.items():
        ms = statistics.median(samples)
        print(f"| {name} | {ms:.3f} | {hello_ms / ms:.3f} |")


if __name__ == "__main__":
    main()
