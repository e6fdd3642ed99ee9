"""Load benchmark: quizapp against a bare Flask "hello" under the same gunicorn, with wrk.

Run (needs Debian's wrk; PostgreSQL is used when it answers on 127.0.0.1:5432):

    .venv/bin/python bench/load.py [--seconds 5] [--connections 1,8,32] [--db sqlite,postgres]

For each database it seeds 200 students with 150 due review cards each, serves the
app with ``gunicorn -w 2`` next to the hello app, and runs wrk at each connection count,
interleaved hello, app, hello, app; it prints req/s, p50 and p99 side by side, the ratio
to hello, the bytes of the main pages and the RSS of each worker afterwards. Every review
POST rates a real due card of a real signed-in student (with its CSRF token), each card
once. It asserts nothing: it prints figures to read and to copy into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, insert, select, text
from werkzeug.security import generate_password_hash

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "tests"))

from helpers.web import csrf_token  # noqa: E402  (the tests' CSRF reader)

SECRET = "bench-secret"
PASSWORD = "bench-password"
STUDENTS = 200
CARDS_PER_STUDENT = 150
WORKERS = 2


@dataclass
class Student:
    username: str
    cookie: str
    token: str
    due: list[tuple[str, int]]  # (question id, reps): each one a review to send


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(target: str, env: dict[str, str], chdir: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        target,
    ]
    process = subprocess.Popen(command, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(url + "/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def seed(database_url: str, instance: Path) -> list[Student]:
    """200 students with 150 review cards each, all due, signed in once for their cookie."""
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import Card, Question, User

    app = create_app(
        {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(instance)
    )
    now = datetime.now(UTC)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")  # fast to check
    with app.app_context():
        questions = list(db.session.scalars(select(Question.id).order_by(Question.id)))
        questions = questions[:CARDS_PER_STUDENT]
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"load-{n:03}",
                    "display_name": f"Load {n}",
                    "password_hash": hashed,
                    "role": "student",
                    "timezone": "UTC",
                    "created_at": now,
                }
                for n in range(STUDENTS)
            ],
        )
        ids = dict(db.session.execute(select(User.username, User.id)).tuples().all())
        rows = [
            {
                "user_id": ids[f"load-{n:03}"],
                "question_id": qid,
                "state": 2,
                "step": None,
                "stability": 4.0,
                "difficulty": 5.0,
                "reps": 3,
                "lapses": 0,
                "due": now - timedelta(minutes=5 + i),
                "last_review": now - timedelta(days=4),
                "created_at": now - timedelta(days=10),
            }
            for n in range(STUDENTS)
            for i, qid in enumerate(questions)
        ]
        db.session.execute(insert(Card), rows)
        db.session.commit()
    students = []
    for n in range(STUDENTS):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        client.post(
            "/login",
            data={"csrf_token": csrf_token(page), "username": f"load-{n:03}", "password": PASSWORD},
        )
        study = client.get("/study/").get_data(as_text=True)
        cookie = client.get_cookie("session")
        assert cookie is not None, "sign-in failed"
        students.append(
            Student(
                f"load-{n:03}", cookie.value, csrf_token(study), [(qid, 3) for qid in questions]
            )
        )
    with app.app_context():
        db.engine.dispose()
    return students


def lua_list(items: list[str]) -> str:
    return "{" + ",".join(f"[==[{item}]==]" for item in items) + "}"


def write_script(
    path: Path, method: str, target: str, cookies: list[str], bodies: list[str] | None = None
) -> None:
    """A wrk script: thread n of T sends items n, n+T, n+2T... so no two requests repeat."""
    body = lua_list(bodies) if bodies else "nil"
    path.write_text(f"""
local cookies = {lua_list(cookies)}
local bodies = {body}
local counter = 0
local threads = {{}}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = id
end
function request()
  local i = (counter % #cookies) + 1
  counter = counter + 2
  local headers = {{["Cookie"] = "session=" .. cookies[i],
                   ["Accept-Encoding"] = "br, gzip"}}
  if bodies then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("{method}", "{target}", headers, bodies[i])
  end
  return wrk.format("{method}", "{target}", headers)
end
""")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, connections: int, seconds: int, script: Path | None
) -> tuple[float, float, float]:
    command = [
        "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--latency",
        url,
    ]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name: str) -> float:
        value, unit = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * UNITS[unit]

    return rate, percentile("50"), percentile("99")


def page_bytes(url: str, cookie: str) -> dict[str, int]:
    """Bytes on the wire (compressed) for a first view (page, style, script) and the next."""
    sizes = {}
    headers = {"Cookie": f"session={cookie}", "Accept-Encoding": "br, gzip"}
    for name, path in (
        ("home", "/"),
        ("study", "/study/"),
        ("progress", "/progress/"),
        ("bank", "/bank/"),
    ):
        response = requests.get(url + path, headers=headers, stream=True, timeout=30)
        html = response.raw.read(decode_content=False)
        text_page = requests.get(url + path, headers={"Cookie": headers["Cookie"]}, timeout=30)
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', text_page.text)
        extra = sum(
            len(
                requests.get(url + a, headers=headers, stream=True, timeout=30).raw.read(
                    decode_content=False
                )
            )
            for a in assets
        )
        sizes[f"{name} first view"] = len(html) + extra
        sizes[f"{name} next view"] = len(html)
    return sizes


def rss_mb(master: int) -> list[float]:
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except OSError:
            continue
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def review_bodies(students: list[Student], start: int, count: int) -> tuple[list[str], list[str]]:
    """``count`` review POSTs from ``start`` on, dealt across students: each card once."""
    cookies, bodies = [], []
    for k in range(start, start + count):
        student = students[k % len(students)]
        question_id, reps = student.due[(k // len(students)) % len(student.due)]
        cookies.append(student.cookie)
        bodies.append(
            f"csrf_token={student.token}&question_id={question_id}"
            f"&presentation={question_id}%3A{reps}&rating=3&response=&duration_ms=2100"
        )
    return cookies, bodies


def run(database: str, database_url: str, args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"quizapp-bench-{database}-"))
    print(
        f"\n== {database}: seeding {STUDENTS} students x {CARDS_PER_STUDENT} due cards", flush=True
    )
    students = seed(database_url, work / "instance")
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "QUIZAPP_INSTANCE_PATH": str(work / "instance"),
    }
    cookies = [s.cookie for s in students]
    get_script = work / "get.lua"
    write_script(get_script, "GET", "/", cookies)
    study_script = work / "study.lua"
    write_script(study_script, "GET", "/study/", cookies)
    with (
        gunicorn("hello:app", {}, REPOSITORY / "bench") as (hello, _),
        gunicorn("quizapp:create_app()", env, REPOSITORY) as (app, master),
    ):
        print(
            f"{'page':<22}{'conns':>6}{'hello req/s':>13}{'app req/s':>11}{'ratio':>7}"
            f"{'app p50 ms':>12}{'app p99 ms':>12}"
        )
        sent = 0
        for label in ("GET /study/", "POST /study/review", "GET / (home)"):
            for connections in args.connections:
                hello_rates, app_runs = [], []
                for _ in range(2):
                    hello_rates.append(wrk(hello + "/", connections, args.seconds, None)[0])
                    if label == "POST /study/review":
                        script = work / f"review-{sent}.lua"
                        write_script(
                            script, "POST", "/study/review", *review_bodies(students, sent, 6000)
                        )
                        sent += 6000
                    else:
                        script = study_script if label == "GET /study/" else get_script
                    app_runs.append(wrk(app, connections, args.seconds, script))
                hello_rate = statistics.median(hello_rates)
                rate = statistics.median(r[0] for r in app_runs)
                p50 = statistics.median(r[1] for r in app_runs)
                p99 = statistics.median(r[2] for r in app_runs)
                print(
                    f"{label:<22}{connections:>6}{hello_rate:>13.0f}{rate:>11.0f}"
                    f"{rate / hello_rate:>7.3f}{p50:>12.1f}{p99:>12.1f}",
                    flush=True,
                )
        for name, size in page_bytes(app, students[0].cookie).items():
            print(f"bytes {name:<24}{size:>8}")
        print("RSS per worker (MB):", ", ".join(f"{mb:.0f}" for mb in rss_mb(master)))
    if database == "sqlite":
        engine = create_engine(database_url)
        with engine.connect() as connection:
            reviews = connection.execute(text("SELECT count(*) FROM reviews")).scalar()
        engine.dispose()
        print(f"reviews written: {reviews}")
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--connections", type=lambda s: [int(c) for c in s.split(",")], default=[1, 8, 32]
    )
    parser.add_argument("--db", type=lambda s: s.split(","), default=["sqlite", "postgres"])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    if "sqlite" in args.db:
        folder = Path(tempfile.mkdtemp(prefix="quizapp-bench-db-"))
        run("sqlite", f"sqlite:///{folder}/bench.sqlite3", args)
    if "postgres" in args.db:
        name = f"quizapp_bench_{os.getpid()}"
        admin = create_engine(
            "postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("postgres", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
