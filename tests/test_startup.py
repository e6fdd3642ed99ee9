"""What a worker loads on start: Alembic only when the schema needs migrating, and no
export or QR library, nor the API's pydantic and spectree, until a request needs one
(each costs every worker memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quizapp.config import DEFAULT_BANK_DIR as REPO_BANK
from quizapp.persistence import schema
from quizapp.persistence.bank_files import load_bank

LAZY = ("alembic", "flask_migrate", "genanki", "segno", "pydantic", "spectree")

START = """
import json, sys
from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Question
app = create_app({"BANK_DIR": sys.argv[1]})
with app.app_context():
    questions = db.session.query(Question).count()
print(json.dumps({"questions": questions, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}))
"""


def start_worker(database_url: str, instance: Path) -> dict[str, object]:
    """Build the app in a fresh interpreter, as a gunicorn worker does."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "x",
        "QUIZAPP_INSTANCE_PATH": str(instance),
    }
    env.pop("FLASK_RUN_FROM_CLI", None)
    on_sqlite = database_url.startswith("sqlite")
    lazy = LAZY if on_sqlite else (*LAZY, "sqlite3")  # on PostgreSQL, no SQLite driver
    result = subprocess.run(
        [sys.executable, "-c", START, str(REPO_BANK), *lazy],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_worker_on_a_current_schema_loads_no_alembic_nor_export_libraries(
    fresh_database_url: str, tmp_path: Path
) -> None:
    expected = len(load_bank(REPO_BANK).questions)
    first = start_worker(fresh_database_url, tmp_path / "instance")  # an empty database
    assert first == {"questions": expected, "loaded": ["alembic", "flask_migrate"]}
    again = start_worker(fresh_database_url, tmp_path / "instance")  # now at the head
    assert again == {"questions": expected, "loaded": []}


def test_flask_db_still_manages_the_migrations(fresh_database_url: str, tmp_path: Path) -> None:
    """Flask-Migrate is bound under the ``flask`` CLI, so ``flask db`` works as before."""
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url,
        "SECRET_KEY": "x",
        "QUIZAPP_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def flask_db(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "quizapp", "db", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    flask_db("upgrade")
    assert flask_db("current").split() == [schema.HEAD_REVISION, "(head)"]
