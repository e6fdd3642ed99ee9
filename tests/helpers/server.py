"""The app served by real gunicorn processes, and a ``requests`` session that signs up,
studies and reads CSRF tokens like a browser without JavaScript."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import requests

from helpers.web import PASSWORD, csrf_token, hidden, unique_name

REPOSITORY = Path(__file__).resolve().parents[2]
SECRET = "two-instances-share-this"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Gunicorn:
    """``gunicorn -w N 'quizapp:create_app()'`` on a free loopback port, stopped on exit."""

    def __init__(
        self,
        database_url: str,
        instance: Path,
        workers: int = 2,
        options: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        """``options`` are more gunicorn flags (a worker class, say); ``env`` more settings."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "--timeout",
            "30",
            "-b",
            f"127.0.0.1:{self.port}",
            *options,
            "quizapp:create_app()",
        ]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET,
            "QUIZAPP_INSTANCE_PATH": str(instance),
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            self.command,
            cwd=REPOSITORY,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.process.stderr.read().decode()}")
            try:
                # A worker's first request waits for the set-up (migrations, bank load),
                # which a busy machine can make slow: a timeout means "not yet", not failure.
                if requests.get(f"{self.url}/login", timeout=10).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or listening while its workers still boot (building
                # the app, the API's models among it, takes seconds on a busy machine).
                time.sleep(0.2)
        self.process.kill()  # never leave a server behind for the rest of the run
        self.process.wait()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker_pids(self) -> list[int]:
        """The master's children: its workers, read from /proc."""
        assert self.process is not None
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children


class Browserless:
    """One person on the site: a cookie jar and the forms they fill in."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30)

    def post(
        self, path: str, data: dict[str, str], token_from: str | None = None
    ) -> requests.Response:
        page = self.http.get(self.base + (token_from or path), timeout=30).text
        return self.http.post(
            self.base + path,
            data={"csrf_token": csrf_token(page), **data},
            allow_redirects=False,
            timeout=30,
        )

    def sign_up(self) -> str:
        username = unique_name()
        response = self.post(
            "/register",
            {
                "username": username,
                "display_name": "Load Student",
                "password": PASSWORD,
                "confirm": PASSWORD,
                "timezone": "UTC",
            },
        )
        assert response.status_code == 302, response.text
        return username

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/login", {"username": username, "password": password})

    def review_next_card(self) -> tuple[str, requests.Response]:
        """Show the next card, flip it and rate it Good; the card's presentation key and the
        answer to the rating (302 when the review is acknowledged)."""
        front = self.http.get(self.base + "/study/", timeout=30).text
        question_id = hidden(front, "question_id")
        back = self.http.post(
            self.base + "/study/answer",
            timeout=30,
            data={
                "csrf_token": csrf_token(front),
                "question_id": question_id,
                "presentation": hidden(front, "presentation"),
                "shown_at": hidden(front, "shown_at"),
                "flip": "1",
            },
        ).text
        presentation = hidden(back, "presentation")
        rated = self.http.post(
            self.base + "/study/review",
            allow_redirects=False,
            timeout=30,
            data={
                "csrf_token": csrf_token(back),
                "question_id": question_id,
                "presentation": presentation,
                "response": "",
                "duration_ms": hidden(back, "duration_ms"),
                "rating": "3",
            },
        )
        return presentation, rated


def seed_teacher(database_url: str, instance: Path) -> str:
    """A teacher account on the served database (the site signs up only students);
    returns the username, whose password is ``PASSWORD``."""
    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import User

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "AUTO_SETUP": False},
        instance_path=str(instance),
    )
    username = unique_name("teacher")
    with app.app_context():
        teacher = User(username=username, display_name="Served Teacher", role="teacher")
        teacher.set_password(PASSWORD)
        db.session.add(teacher)
        db.session.commit()
        db.engine.dispose()
    return username
