"""The yardstick: a bare Flask "hello", served by the same gunicorn as quizapp."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
