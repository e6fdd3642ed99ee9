"""Benchmark: prints figures for the hot paths. Not a test: it asserts nothing about speed.

Run: .venv/bin/python tests/benchmark.py   (uses a throwaway SQLite database)
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import csrf_token, hidden, register

from quizapp import create_app
from quizapp.config import DEFAULT_BANK_DIR
from quizapp.core.bank import load_bank
from quizapp.core.grading import grade


def timed(label: str, runs: int, action: Callable[[], object]) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    print(f"{label:<38} median {statistics.median(samples):8.3f} ms   p95 {p95:8.3f} ms"
          f"   ({runs} runs)")


def main() -> None:
    bank = load_bank(DEFAULT_BANK_DIR)
    timed("load and check the whole bank", 20, lambda: load_bank(DEFAULT_BANK_DIR))
    responses = ["Kerenski", "24/10", "ten to two", "twenty-six thousand", "9.00 pm", "x" * 40]

    def grade_all() -> None:
        for question in bank.questions:
            for response in responses:
                grade(question, response)

    per_call = len(bank.questions) * len(responses)
    timed(f"grade {per_call} responses", 10, grade_all)

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"},
                         instance_path=folder)
        client = app.test_client()
        register(client)
        timed("GET /study/ (next card)", 50, lambda: client.get("/study/"))

        def one_review() -> None:
            front = client.get("/study/").get_data(as_text=True)
            data = {"csrf_token": csrf_token(front), "question_id": hidden(front, "question_id"),
                    "presentation": hidden(front, "presentation"), "flip": "1"}
            back = client.post("/study/answer", data=data).get_data(as_text=True)
            client.post("/study/review", data={**data, "csrf_token": csrf_token(back),
                                               "rating": "3", "response": "",
                                               "duration_ms": "1000"})

        timed("show, flip and rate one card", 40, one_review)
        timed("GET / (dashboard)", 50, lambda: client.get("/"))
        timed("GET /bank/?q=trotsky", 50, lambda: client.get("/bank/?q=trotsky"))
        page = client.get("/bank/").get_data(as_text=True)
        print("bank questions listed per page:", len(re.findall("question-item", page)))


if __name__ == "__main__":
    main()
