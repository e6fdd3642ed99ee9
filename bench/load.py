"""Load benchmark: quizapp against a bare Flask "hello" under the same gunicorn, with wrk.

Run (needs Debian's wrk; PostgreSQL is used when it answers on 127.0.0.1:5432):

    .venv/bin/python bench/load.py [--seconds 3] [--connections 1,8,32] [--db sqlite,postgres]
                                   [--reviews 100000] [--scales 1000,100000,1000000]

For each database it prints, as Markdown tables ready for bench/RESULTS.md:

1. **Pages under load.** 200 students with 150 due cards each and ``--reviews`` rows of
   history (``flask seed``'s writer), a teacher with a class of 30 who each submitted a
   10-question assignment; ``gunicorn -w 2`` serves the app beside the hello app, and wrk
   runs at each connection count, interleaved hello, app, hello, app (medians of the two
   rounds): the study GET, the review POST (plain, and as study.js sends it, answered
   with the next card: all a student pays for a rating; every POST rates a real due
   card of a real signed-in student, with its CSRF token, each card once), a quiz
   answer POST (each answers a fresh quiz once), the home page and the assignment
   gradebook of 30.
2. **History.** The home page and the study GET for a student with 10⁴ reviews beside one
   with 100.
3. **Scale.** The due-queue query (in process) and the study GET (wrk) with 10³, 10⁵ and
   10⁶ review rows in the database.
4. **Bytes** on the wire per main page, first view (with its static files) and next view
   (static files cached), and **RSS** (and PSS) per worker after every request of part 1.
5. **EXPLAIN** of the hot queries (the queue, the day's counts, the streak, the card).

It asserts nothing: it prints figures to read and to copy into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import create_engine, event, select, text
from werkzeug.security import generate_password_hash

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "tests"))

from helpers.web import csrf_token  # noqa: E402  (the tests' CSRF reader)

SECRET = "bench-secret"
PASSWORD = "bench-password"
STUDENTS = 200
CARDS_PER_STUDENT = 150
QUIZZES_PER_STUDENT = 150
CLASS_SIZE = 30
WORKERS = 2
#: A cheap hash of PASSWORD for the seeded students, so 200 sign-ins take no time.
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@dataclass
class Student:
    username: str
    cookie: str
    token: str
    #: (question id, reps) of each due card: the presentation its next review answers.
    cards: list[tuple[str, int]]
    quizzes: list[int] = field(default_factory=list)


@dataclass
class World:
    students: list[Student]
    teacher_cookie: str
    assignment_id: int
    heavy_cookie: str
    light_cookie: str


# ------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(target: str, env: dict[str, str], chdir: Path) -> Iterator[tuple[str, int]]:
    """``gunicorn -w WORKERS target`` on a free port; yields its URL and master pid."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"),
        *("--chdir", str(chdir), "--log-level", "warning", target),
    ]
    process = subprocess.Popen(command, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(url + "/", timeout=10)
            break
        except (requests.ConnectionError, requests.Timeout):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{target} did not start") from None
            time.sleep(0.1)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_memory_mb(master: int) -> list[tuple[float, float]]:
    """(RSS, PSS) of each of the master's children (its workers), in MB. RSS counts every
    resident page, shared ones included; PSS shares each shared page among the processes
    that map it, so it is what a worker adds to the machine."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except OSError:
            continue
        rss = re.search(r"^Rss:\s+(\d+)", rollup, re.MULTILINE)
        pss = re.search(r"^Pss:\s+(\d+)", rollup, re.MULTILINE)
        if rss and pss:
            sizes.append((int(rss.group(1)) / 1024, int(pss.group(1)) / 1024))
    return sizes


# ------------------------------------------------------------------- seeding


def make_app(database_url: str, instance: Path) -> Flask:
    from quizapp import create_app

    return create_app(
        {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database_url},
        instance_path=str(instance),
    )


def sign_in(app: Flask, username: str) -> tuple[str, str]:
    """A signed-in session cookie and a CSRF token valid in it."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    page = client.get("/study/").get_data(as_text=True)
    cookie = client.get_cookie("session")
    if cookie is None or "csrf_token" not in page:
        raise RuntimeError(f"{username} could not sign in")
    return cookie.value, csrf_token(page)


def seed_world(app: Flask, reviews: int) -> World:
    from quizapp.demo.bulk import seed_class, seed_open_quizzes, seed_students
    from quizapp.extensions import db
    from quizapp.models import Card, User, utcnow

    with app.app_context():
        now = utcnow()
        report = seed_students(
            prefix="load",
            students=STUDENTS,
            cards_per_student=CARDS_PER_STUDENT,
            reviews=reviews,
            password=PASSWORD,
            password_hash=CHEAP_HASH,
            now=now,
        )
        for prefix, history in (("heavy", 10_000), ("light", 100)):
            seed_students(
                prefix=prefix,
                students=1,
                cards_per_student=CARDS_PER_STUDENT,
                reviews=history,
                password=PASSWORD,
                password_hash=CHEAP_HASH,
                now=now,
            )
        ids = dict(
            db.session.execute(
                select(User.username, User.id).where(User.username.in_(report.usernames))
            ).all()
        )
        reps: dict[int, list[tuple[str, int]]] = {}
        for user_id, question_id, count in db.session.execute(
            select(Card.user_id, Card.question_id, Card.reps)
            .where(Card.user_id.in_(ids.values()))
            .order_by(Card.user_id, Card.due)
        ):
            reps.setdefault(user_id, []).append((question_id, count))
        quizzes = seed_open_quizzes(
            [ids[name] for name in report.usernames], QUIZZES_PER_STUDENT, now
        )
        school = seed_class(
            teacher="load-teacher", password=PASSWORD, students=CLASS_SIZE, questions=10, now=now
        )
    students = []
    for n, name in enumerate(report.usernames):
        cookie, token = sign_in(app, name)
        mine = quizzes[n * QUIZZES_PER_STUDENT : (n + 1) * QUIZZES_PER_STUDENT]
        students.append(Student(name, cookie, token, reps[ids[name]], mine))
    return World(
        students=students,
        teacher_cookie=sign_in(app, school.teacher)[0],
        assignment_id=school.assignment_id,
        heavy_cookie=sign_in(app, "heavy-0000")[0],
        light_cookie=sign_in(app, "light-0000")[0],
    )


# ------------------------------------------------------------------- wrk


def lua_list(items: list[str]) -> str:
    return "{" + ",".join(f"[==[{item}]==]" for item in items) + "}"


def write_script(
    path: Path,
    method: str,
    targets: list[str],
    cookies: list[str],
    bodies: list[str] | None,
    headers: dict[str, str] | None = None,
) -> Path:
    """A wrk script: thread n of 2 sends items n, n+2, n+4... so no two requests repeat;
    ``headers`` go with every request."""
    extra = "".join(f'  headers["{name}"] = "{value}"\n' for name, value in (headers or {}).items())
    path.write_text(f"""
local targets = {lua_list(targets)}
local cookies = {lua_list(cookies)}
local bodies = {lua_list(bodies) if bodies else "nil"}
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
  local headers = {{["Cookie"] = "session=" .. cookies[i], ["Accept-Encoding"] = "br, gzip"}}
{extra}  if bodies then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("{method}", targets[((i - 1) % #targets) + 1], headers, bodies[i])
  end
  return wrk.format("{method}", targets[((i - 1) % #targets) + 1], headers)
end
""")
    return path


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Run:
    rate: float
    p50: float
    p99: float
    requests: int
    errors: int


def wrk(url: str, connections: int, seconds: int, script: Path | None) -> Run:
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
    command += ["-d", f"{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    finished = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        print(f"  (wrk failed: {finished.stderr.strip() or finished.stdout.strip()})", flush=True)
    output = finished.stdout

    def number(pattern: str) -> float:
        found = re.search(pattern, output)
        return float(found.group(1)) if found else 0.0

    def percentile(name: str) -> float:
        found = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", output)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")

    errors = number(r"Non-2xx or 3xx responses:\s+(\d+)") + number(r"timeout (\d+)")
    return Run(
        rate=number(r"Requests/sec:\s+([\d.]+)"),
        p50=percentile("50"),
        p99=percentile("99"),
        requests=int(number(r"(\d+) requests in")),
        errors=int(errors),
    )


class Bench:
    """Interleaved hello/app runs and the Markdown rows they make."""

    def __init__(self, hello: str, app: str, seconds: int, work: Path) -> None:
        self.hello, self.app, self.seconds, self.work = hello, app, seconds, work
        self.served = 0
        self.scripts = 0

    def script(
        self, method: str, targets: list[str], cookies: list[str], bodies=None, headers=None
    ) -> Path:
        self.scripts += 1
        path = self.work / f"script-{self.scripts}.lua"
        return write_script(path, method, targets, cookies, bodies, headers)

    def row(
        self,
        label: str,
        connections: int,
        scripts: Callable[[], Path],
        sent: Callable[[int], None] | None = None,
    ) -> str:
        """Two interleaved rounds; ``sent`` hears how many requests each app run made."""
        hello_runs, app_runs = [], []
        for _ in range(2):
            hello_runs.append(wrk(self.hello + "/", connections, self.seconds, None))
            app_runs.append(wrk(self.app, connections, self.seconds, scripts()))
            if sent is not None:
                sent(app_runs[-1].requests + 2 * connections)  # and any still in flight
        self.served += sum(run.requests for run in app_runs)
        hello = statistics.median(run.rate for run in hello_runs)
        rate = statistics.median(run.rate for run in app_runs)
        p50 = statistics.median(run.p50 for run in app_runs)
        p99 = statistics.median(run.p99 for run in app_runs)
        errors = sum(run.errors for run in app_runs)
        line = (
            f"| {label} | {connections} | {hello:.0f} | {rate:.0f} | {rate / hello:.3f} "
            f"| {p50:.1f} | {p99:.1f} | {errors} |"
        )
        print(line, flush=True)
        return line


TABLE_HEAD = (
    "| page | conns | hello req/s | app req/s | ratio | app p50 ms | app p99 ms | non-2xx/3xx |\n"
    "|---|---|---|---|---|---|---|---|"
)


# ------------------------------------------------------------------- parts


class Dealer:
    """Hands out review and quiz-answer POSTs so that no card or quiz is answered twice:
    each script starts where the requests the last run actually sent ended."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.reviews_sent = 0
        self.quizzes_sent = 0

    def reviews(self, count: int) -> tuple[list[str], list[str], list[str]]:
        students = self.world.students
        cookies, bodies = [], []
        for k in range(self.reviews_sent, self.reviews_sent + count):
            student = students[k % len(students)]
            turn, index = divmod(k // len(students), len(student.cards))
            question_id, reps = student.cards[index]
            presentation = f"{question_id}:{reps + turn}"  # a later round: one more rep
            cookies.append(student.cookie)
            bodies.append(
                f"csrf_token={student.token}&question_id={question_id}"
                f"&presentation={presentation}&rating=3&response=&duration_ms=2100"
            )
        return ["/study/review"], cookies, bodies

    def quiz_answers(self, count: int) -> tuple[list[str], list[str], list[str]]:
        students = self.world.students
        targets, cookies, bodies = [], [], []
        for k in range(self.quizzes_sent, self.quizzes_sent + count):
            student = students[k % len(students)]
            quizzes = student.quizzes
            attempt = quizzes[(k // len(students)) % len(quizzes)]
            targets.append(f"/quiz/{attempt}/1")
            cookies.append(student.cookie)
            bodies.append(f"csrf_token={student.token}&response=Lenin")
        return targets, cookies, bodies

    def reviews_used(self, count: int) -> None:
        self.reviews_sent += count

    def quizzes_used(self, count: int) -> None:
        self.quizzes_sent += count
        if self.quizzes_sent > len(self.world.students) * QUIZZES_PER_STUDENT:
            print("  (note: the quizzes ran out; later answers were refused as repeats)")


#: What study.js sends with a rating: answer it with the next card, not a redirect.
INLINE = {"X-Next-Card": "inline"}

#: Requests a write script carries: more than one run of wrk can send on this machine.
BATCH = 8000


def pages_under_load(bench: Bench, world: World, connections: list[int]) -> list[str]:
    dealer = Dealer(world)
    cookies = [s.cookie for s in world.students]
    study = bench.script("GET", ["/study/"], cookies)
    home = bench.script("GET", ["/"], cookies)
    book = bench.script(
        "GET", [f"/teach/assignments/{world.assignment_id}"], [world.teacher_cookie]
    )
    parts: list[tuple[str, Callable[[], Path], Callable[[int], None] | None]] = [
        ("GET /study/", lambda: study, None),
        (
            "POST /study/review",
            lambda: bench.script("POST", *dealer.reviews(BATCH)),
            dealer.reviews_used,
        ),
        (
            "POST /study/review, next card inline (study.js)",
            lambda: bench.script("POST", *dealer.reviews(BATCH), headers=INLINE),
            dealer.reviews_used,
        ),
        (
            "POST /quiz/&lt;id&gt;/1 (answer)",
            lambda: bench.script("POST", *dealer.quiz_answers(BATCH)),
            dealer.quizzes_used,
        ),
        ("GET / (home)", lambda: home, None),
        (f"GET gradebook ({CLASS_SIZE} students)", lambda: book, None),
    ]
    rows = [TABLE_HEAD]
    print(TABLE_HEAD, flush=True)
    for label, scripts, sent in parts:
        for count in connections:
            rows.append(bench.row(label, count, scripts, sent))
    return rows


def history_rows(bench: Bench, world: World) -> list[str]:
    rows = [TABLE_HEAD]
    print(TABLE_HEAD, flush=True)
    for who, cookie in (("100 reviews", world.light_cookie), ("10⁴ reviews", world.heavy_cookie)):
        for path in ("/", "/study/"):
            script = bench.script("GET", [path], [cookie])
            rows.append(bench.row(f"GET {path} ({who})", 8, lambda s=script: s))
    return rows


def page_bytes(url: str, world: World) -> list[str]:
    """Bytes on the wire (compressed) of a first view (page and static files) and the next."""
    rows = ["| page | first view bytes | next view bytes |", "|---|---|---|"]
    student, teacher = world.students[-1].cookie, world.teacher_cookie
    for name, path, cookie in (
        ("home", "/", student),
        ("study", "/study/", student),
        ("progress", "/progress", student),
        ("exam", "/exam/", student),
        ("bank", "/bank/", student),
        ("quiz builder", "/quiz/", student),
        ("gradebook (30)", f"/teach/assignments/{world.assignment_id}", teacher),
        ("item analysis (30)", f"/teach/assignments/{world.assignment_id}/items", teacher),
    ):
        headers = {"Cookie": f"session={cookie}", "Accept-Encoding": "br, gzip"}
        response = requests.get(url + path, headers=headers, stream=True, timeout=30)
        wire = len(response.raw.read(decode_content=False))
        page = requests.get(url + path, headers={"Cookie": headers["Cookie"]}, timeout=30).text
        assets = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page))
        extra = sum(
            len(
                requests.get(url + asset, headers=headers, stream=True, timeout=30).raw.read(
                    decode_content=False
                )
            )
            for asset in assets
        )
        rows.append(f"| {name} | {wire + extra} | {wire} |")
    print("\n".join(rows), flush=True)
    return rows


def explain(app: Flask, world: World) -> list[str]:
    """The plans of the statements one study GET, one review POST and one home page of the
    10⁴-review student send, as the database runs them."""
    from quizapp.extensions import db

    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    client = app.test_client()
    client.set_cookie("session", world.heavy_cookie)
    with app.app_context():
        engine = db.engine
    client.get("/study/")  # warm: the bank snapshot is read once, not per request
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/study/")
        client.get("/")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    lines = []
    done = set()
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for statement, parameters in seen:
            if statement in done:
                continue
            done.add(statement)
            cursor.execute(prefix + statement, parameters)
            plan = [" ".join(str(part) for part in row) for row in cursor.fetchall()]
            lines.append("    " + " ".join(statement.split())[:160])
            lines += ["        " + step for step in plan]
    finally:
        connection.close()
    print("\n".join(lines), flush=True)
    return lines


def due_queue_ms(app: Flask, username: str) -> float:
    """The median time of the due-queue query for one student, in process."""
    from quizapp.extensions import db
    from quizapp.models import User, utcnow
    from quizapp.study import service

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        limits = service.limits_for(user, utcnow())
        samples = []
        for _ in range(200):
            start = time.perf_counter()
            service.due_cards(user, utcnow(), limits)
            samples.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
    return statistics.median(samples)


# ------------------------------------------------------------------- databases


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database of ``kind``, dropped afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="quizapp-bench-db-"))
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"quizapp_bench_{os.getpid()}_{time.monotonic_ns()}"
    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def serve(database_url: str, work: Path) -> Any:
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "QUIZAPP_INSTANCE_PATH": str(work / "instance"),
    }
    return gunicorn("quizapp:create_app()", env, REPOSITORY)


def main_run(kind: str, args: argparse.Namespace) -> None:
    from quizapp.extensions import db

    work = Path(tempfile.mkdtemp(prefix=f"quizapp-bench-{kind}-"))
    with database(kind) as url:
        print(
            f"\n## {kind}: {STUDENTS} students x {CARDS_PER_STUDENT} due cards, "
            f"{args.reviews} reviews of history\n",
            flush=True,
        )
        app = make_app(url, work / "instance")
        world = seed_world(app, args.reviews)
        with (
            gunicorn("hello:app", {}, REPOSITORY / "bench") as (hello, _),
            serve(url, work) as (app_url, master),
        ):
            bench = Bench(hello, app_url, args.seconds, work)
            print("### Pages under load\n", flush=True)
            pages_under_load(bench, world, args.connections)
            memory = worker_memory_mb(master)
            rss = ", ".join(f"{rss:.0f}" for rss, _ in memory)
            pss = ", ".join(f"{pss:.0f}" for _, pss in memory)
            print(
                f"\nPer worker after {bench.served} requests: RSS {rss} MB, PSS {pss} MB\n",
                flush=True,
            )
            print("### A long history\n", flush=True)
            history_rows(bench, world)
            print("\n### Bytes on the wire\n", flush=True)
            page_bytes(app_url, world)
        print("\n### EXPLAIN (the 10⁴-review student's study GET and home page)\n", flush=True)
        explain(app, world)
        with app.app_context():
            db.engine.dispose()
    shutil.rmtree(work, ignore_errors=True)


def scale_run(kind: str, args: argparse.Namespace) -> None:
    """The due queue and the study GET with 10³ ... 10⁶ review rows in the database."""
    from quizapp.demo.bulk import seed_students
    from quizapp.extensions import db
    from quizapp.models import utcnow

    print(f"\n### {kind}: the study GET as the review log grows (wrk -c8)\n", flush=True)
    print(
        "| review rows | due queue ms (in process) | hello req/s | study GET req/s | ratio "
        "| p50 ms | p99 ms |\n|---|---|---|---|---|---|---|",
        flush=True,
    )
    for total in args.scales:
        work = Path(tempfile.mkdtemp(prefix=f"quizapp-scale-{kind}-"))
        with database(kind) as url:
            app = make_app(url, work / "instance")
            with app.app_context():
                report = seed_students(
                    prefix="scale",
                    students=STUDENTS,
                    cards_per_student=CARDS_PER_STUDENT,
                    reviews=total,
                    password=PASSWORD,
                    password_hash=CHEAP_HASH,
                    now=utcnow(),
                )
            queue = due_queue_ms(app, report.usernames[0])
            cookies = [sign_in(app, name)[0] for name in report.usernames[:50]]
            with (
                gunicorn("hello:app", {}, REPOSITORY / "bench") as (hello, _),
                serve(url, work) as (app_url, _master),
            ):
                script = write_script(work / "study.lua", "GET", ["/study/"], cookies, None)
                hello_runs, app_runs = [], []
                for _ in range(2):
                    hello_runs.append(wrk(hello + "/", 8, args.seconds, None))
                    app_runs.append(wrk(app_url, 8, args.seconds, script))
            rate = statistics.median(r.rate for r in app_runs)
            hello_rate = statistics.median(r.rate for r in hello_runs)
            print(
                f"| {total:,} | {queue:.2f} | {hello_rate:.0f} | {rate:.0f} "
                f"| {rate / hello_rate:.3f} | {statistics.median(r.p50 for r in app_runs):.1f} "
                f"| {statistics.median(r.p99 for r in app_runs):.1f} |",
                flush=True,
            )
            with app.app_context():
                db.engine.dispose()
        shutil.rmtree(work, ignore_errors=True)


def numbers(text_value: str) -> list[int]:
    return [int(part) for part in text_value.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=numbers, default=[1, 8, 32])
    parser.add_argument("--db", type=lambda s: s.split(","), default=["sqlite", "postgres"])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--scales", type=numbers, default=[1_000, 100_000, 1_000_000])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    load = os.getloadavg()
    print(f"# quizapp load benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}, "
        f"Python {platform.python_version()}; load average before: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"command: {' '.join(sys.argv)}")
    for kind in args.db:
        main_run(kind, args)
        if args.scales:
            scale_run(kind, args)
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
