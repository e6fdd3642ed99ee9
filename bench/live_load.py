"""Load benchmark for live games: 200 players on loopback, two gunicorn workers, Redis.

Run (needs Redis on 127.0.0.1:6379, or ``REDIS_URL``):

    .venv/bin/python bench/live_load.py [--players 200] [--questions 5] [--workers 2]
        [--threads 32] [--held N (QUIZAPP_LIVE_HELD_STREAMS; the app's default if 0)]

It serves the app with ``gunicorn -k gthread`` on a throwaway SQLite database and a
Redis key prefix of its own, signs a teacher in, opens a lobby for a quick draw, and
joins the players (each with its own cookies and CSRF token). Every player follows
the game as the page's EventSource does (asyncio sockets in one thread): it asks for
the stream with the version it last heard, is held until the next event or answered
at once, asks again after the ``retry`` it was given and, like the page's script,
loads its play page again on each change of phase. The teacher then plays the game:
start, and for each question the players answer (200 form posts), then reveal,
leaderboard, next. For every phase change it measures the delay from the moment the
teacher's POST is sent to the moment each player's stream delivers the event, and
the time each player's page then takes to load, and, meanwhile, how long another
visitor's ``GET /login`` takes; it prints p50, p95, p99 and the worst, how many stream
requests were made, and the CPU the gunicorn processes and Redis used. It
asserts nothing: it prints figures to read and copy into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import redis
import requests

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "tests"))

from helpers.server import Gunicorn, seed_teacher  # noqa: E402  (the tests' gunicorn runner)
from helpers.web import PASSWORD, csrf_token  # noqa: E402

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TICKS = os.sysconf("SC_CLK_TCK")


class BrowserSession(requests.Session):
    """A session that sends a request again, once, when the kept-alive connection it
    reused turns out closed by the server (as browsers do; plain requests does not)."""

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().request(*args, **kwargs)
        except requests.ConnectionError:
            return super().request(*args, **kwargs)


@dataclass
class Player:
    nickname: str
    http: requests.Session
    token: str = ""
    csrf: str = ""


@dataclass
class Timings:
    """When the teacher sent each phase change, and when each player heard of it."""

    sent: dict[int, float] = field(default_factory=dict)
    heard: dict[int, list[float]] = field(default_factory=dict)
    reloads: list[float] = field(default_factory=list)
    requests: int = 0
    failures: int = 0
    others: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hear(self, version: int, at: float) -> None:
        with self.lock:
            self.heard.setdefault(version, []).append(at)


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


# ---------------------------------------------------------------- the players' streams


async def _response(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The body of one HTTP/1.1 response, piece by piece as it comes (by its length, or
    chunk by chunk, as an event stream is sent)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
    if "content-length:" in head:
        length = int(head.split("content-length:")[1].split("\r\n")[0])
        yield await reader.readexactly(length)
        return
    while size := int((await reader.readline()).strip(), 16):
        yield await reader.readexactly(size)
        await reader.readline()
    await reader.readline()


async def _request(
    host: str, port: int, path: str, headers: str
) -> tuple[asyncio.StreamWriter, AsyncIterator[bytes]]:
    """A GET on a connection of its own, kept alive as a browser's would be (a client
    asking ``Connection: close`` makes gunicorn 27 linger on the close)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{headers}\r\n".encode())
    await writer.drain()
    return writer, _response(reader)


async def _get(host: str, port: int, path: str, cookie: str) -> None:
    """One page load, as a reload by the page's script: the whole body read."""
    writer, body = await _request(host, port, path, f"Cookie: {cookie}\r\n")
    async for _ in body:
        pass
    writer.close()


async def _stream(
    host: str, port: int, pin: str, player: Player, timings: Timings, stop: asyncio.Event
) -> None:
    """Follow the game as the page's EventSource does: ask for the stream with the
    version last heard (``Last-Event-ID``); on a new version (in the first event of an
    answer, or an event of a held stream), note the time and load the play page again,
    then ask at once; when a stream ends with nothing new, ask again after its
    ``retry``."""
    cookie = f"live_{pin}={player.token}"
    seen = 1
    while not stop.is_set():
        headers = f"Cookie: {cookie}\r\nAccept: text/event-stream\r\nLast-Event-ID: {seen}\r\n"
        timings.requests += 1
        retry, moved = 1.0, False
        try:
            writer, body = await _request(host, port, f"/live/{pin}/events", headers)
            async for chunk in body:
                for line in chunk.decode().splitlines():
                    if line.startswith("retry: "):
                        retry = int(line[7:]) / 1000
                    if line.startswith("data: {"):
                        version = json.loads(line[6:]).get("v", 0)
                        if version > seen:
                            seen, moved = version, True
                            timings.hear(seen, time.perf_counter())
            writer.close()
        except (OSError, asyncio.IncompleteReadError, ValueError):
            timings.failures += 1
        if moved:
            started = time.perf_counter()
            await _get(host, port, f"/live/{pin}/play", cookie)
            timings.reloads.append(time.perf_counter() - started)
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=retry)


def run_streams(
    url: str, pin: str, players: list[Player], timings: Timings, ready: threading.Event
) -> tuple[threading.Thread, asyncio.AbstractEventLoop, asyncio.Event]:
    host, port = url.removeprefix("http://").split(":")
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def main() -> None:
        tasks = [
            asyncio.create_task(_stream(host, int(port), pin, p, timings, stop)) for p in players
        ]
        await asyncio.sleep(1.0)
        ready.set()
        await stop.wait()
        await asyncio.gather(*tasks, return_exceptions=True)

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    return thread, loop, stop


# ---------------------------------------------------------------- the game


def post(http: requests.Session, url: str, page: str, data: dict[str, str]) -> requests.Response:
    token = csrf_token(http.get(page, timeout=30).text)
    return http.post(url, data={"csrf_token": token, **data}, allow_redirects=False, timeout=30)


def join(url: str, pin: str, player: Player) -> None:
    page = player.http.get(f"{url}/live/?pin={pin}", timeout=30).text
    player.csrf = csrf_token(page)
    response = player.http.post(
        f"{url}/live/",
        data={"csrf_token": player.csrf, "pin": pin, "nickname": player.nickname},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text
    player.token = player.http.cookies[f"live_{pin}"]


def answer(url: str, pin: str, index: int, player: Player) -> int:
    response = player.http.post(
        f"{url}/live/{pin}/answer",
        data={"csrf_token": player.csrf, "index": str(index), "response": "1917"},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def _drain(app: Gunicorn, log: list[str]) -> None:
    """Read gunicorn's log as it comes, so a full pipe never stalls the server."""
    assert app.process is not None
    assert app.process.stderr is not None
    for line in app.process.stderr:
        log.append(line.decode(errors="replace").rstrip())


def probe_login(url: str, timings: Timings, done: threading.Event) -> None:
    """Another visitor's page while the game runs: ``GET /login`` twice a second."""
    with BrowserSession() as visitor:
        while not done.wait(0.5):
            started = time.perf_counter()
            try:
                visitor.get(f"{url}/login", timeout=30)
            except requests.RequestException:
                timings.failures += 1
            timings.others.append(time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def play(args: argparse.Namespace) -> None:
    prefix = f"quizapp-bench-{uuid.uuid4().hex[:8]}:"
    store = redis.Redis.from_url(REDIS_URL)
    store.ping()
    threads = str(args.threads)
    try:
        with tempfile.TemporaryDirectory() as folder:
            database_url = f"sqlite:///{folder}/bench.sqlite3"
            options = ("-k", "gthread", "--threads", threads, "--graceful-timeout", "2")
            env = {"REDIS_URL": REDIS_URL, "QUIZAPP_LIVE_PREFIX": prefix}
            if args.held:
                env["QUIZAPP_LIVE_HELD_STREAMS"] = str(args.held)
            with Gunicorn(
                database_url, Path(folder) / "instance", args.workers, options, env
            ) as app:
                log: list[str] = []
                drain = threading.Thread(target=_drain, args=(app, log), daemon=True)
                drain.start()
                teacher = BrowserSession()
                username = seed_teacher(database_url, Path(folder) / "seed")
                post(
                    teacher,
                    f"{app.url}/login",
                    f"{app.url}/login",
                    {"username": username, "password": PASSWORD},
                )
                created = post(
                    teacher,
                    f"{app.url}/live/new",
                    f"{app.url}/live/new",
                    {
                        "quiz_set": "0",
                        "school_class": "0",
                        "seconds": "30",
                        "count": str(args.questions),
                    },
                )
                pin = created.headers["Location"].split("/")[2]
                host = f"{app.url}/live/{pin}/host"
                players = [Player(f"Player {n:03d}", BrowserSession()) for n in range(args.players)]
                with ThreadPoolExecutor(16) as pool:
                    list(pool.map(lambda p: join(app.url, pin, p), players))
                timings = Timings()
                ready = threading.Event()
                thread, loop, stop = run_streams(app.url, pin, players, timings, ready)
                ready.wait()
                time.sleep(1.0)
                host_token = csrf_token(teacher.get(host, timeout=30).text)
                pids = [app.process.pid, *app.worker_pids()]
                cpu_before, redis_before, wall_before = (
                    cpu_seconds(pids),
                    redis_cpu(store),
                    time.perf_counter(),
                )
                asked_before = timings.requests
                done = threading.Event()
                visitor = threading.Thread(target=probe_login, args=(app.url, timings, done))
                visitor.start()
                version = 1
                answered: list[int] = []

                def act(action: str) -> None:
                    nonlocal version
                    version += 1
                    timings.sent[version] = time.perf_counter()
                    response = teacher.post(
                        host,
                        data={"csrf_token": host_token, "action": action},
                        allow_redirects=False,
                        timeout=30,
                    )
                    assert response.status_code == 302, response.status_code
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:
                        with timings.lock:
                            if len(timings.heard.get(version, [])) >= len(players):
                                break
                        time.sleep(0.02)
                    time.sleep(args.pause)

                act("start")
                for index in range(args.questions):
                    with ThreadPoolExecutor(16) as pool:
                        answered += pool.map(lambda p, i=index: answer(app.url, pin, i, p), players)
                    act("reveal")
                    act("leaderboard")
                    act("next")
                wall = time.perf_counter() - wall_before
                cpu, redis_used = cpu_seconds(pids) - cpu_before, redis_cpu(store) - redis_before
                timings.requests -= asked_before
                done.set()
                visitor.join()
                loop.call_soon_threadsafe(stop.set)
                thread.join(timeout=10)
                final = teacher.get(host, timeout=30).text
    finally:  # the game's keys go, however the run ended
        keys = list(store.scan_iter(match=prefix + "*"))
        if keys:
            store.delete(*keys)
    if log:
        print("gunicorn's log (last lines):", *log[-8:], sep="\n  ")
    report(args, timings, answered, wall, cpu, redis_used, "Final leaderboard" in final)


def report(
    args: argparse.Namespace,
    timings: Timings,
    answered: list[int],
    wall: float,
    cpu: float,
    redis_used: float,
    finished: bool,
) -> None:
    delays = [
        (at - timings.sent[version]) * 1000
        for version, heard in timings.heard.items()
        if version in timings.sent
        for at in heard
    ]
    expected = len(timings.sent) * args.players
    reloads = [seconds * 1000 for seconds in timings.reloads]
    print(f"players {args.players}, questions {args.questions}, gunicorn workers {args.workers}")
    print(f"phase changes {len(timings.sent)}, events delivered {len(delays)} of {expected}")
    print(f"answers posted {len(answered)} (all 302: {all(code == 302 for code in answered)})")
    print(
        f"event stream requests {timings.requests} ({timings.requests / wall:.0f}/s), "
        f"failed requests {timings.failures}; game finished: {finished}"
    )
    for version in sorted(timings.sent):
        heard = [(at - timings.sent[version]) * 1000 for at in timings.heard.get(version, [])]
        if heard and max(heard) > 200:
            print(f"  phase change {version}: {len(heard)} heard, slowest {max(heard):.0f} ms")
    others = [seconds * 1000 for seconds in timings.others]
    for name, values in (
        ("next -> event", delays),
        ("event -> page loaded", reloads),
        ("GET /login meanwhile", others),
    ):
        p50, p95, p99 = (percentile(values, share) for share in (0.5, 0.95, 0.99))
        print(
            f"{name:>22}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms"
            f"  max {max(values):6.1f} ms"
        )
    print(
        f"server CPU: gunicorn {cpu:.2f} s, Redis {redis_used:.2f} s over {wall:.1f} s "
        f"({100 * cpu / wall:.0f}% and {100 * redis_used / wall:.0f}% of one core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=32, help="gunicorn threads a worker")
    parser.add_argument("--held", type=int, default=0, help="QUIZAPP_LIVE_HELD_STREAMS")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between phases")
    play(parser.parse_args())


if __name__ == "__main__":
    main()
