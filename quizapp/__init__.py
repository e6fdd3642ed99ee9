"""quizapp: grounded quizzes and spaced-repetition flashcards on the October Revolution."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click
from flask import Flask, render_template
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from quizapp.config import MIGRATIONS_DIR, build_config
from quizapp.extensions import csrf, db, login_manager, migrate


def create_app(
    overrides: Mapping[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """The application factory: configure, bind extensions, register blueprints.

    Unless ``AUTO_SETUP`` is off, the database is migrated and the bank loaded
    before the app serves, so a fresh install needs no initialisation step.
    ``instance_path`` (or ``QUIZAPP_INSTANCE_PATH``) moves the folder that holds
    the default database and the generated secret key.
    """
    instance_path = instance_path or os.environ.get("QUIZAPP_INSTANCE_PATH") or None
    if instance_path:
        instance_path = os.path.abspath(instance_path)
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(build_config(app.instance_path))
    if overrides:
        app.config.from_mapping(overrides)

    from quizapp import database

    database.install_sqlite_pragmas()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    login_manager.init_app(app)

    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_pages(app)

    from quizapp.cli import register_commands

    register_commands(app)

    if _auto_setup_wanted(app):
        from quizapp.bootstrap import prepare_database

        with app.app_context():
            prepare_database(app)
    return app


def _auto_setup_wanted(app: Flask) -> bool:
    """Set up on start when serving (gunicorn, ``flask run``, tests), not for other commands.

    ``flask bank check`` must be able to report on a broken bank, and ``flask db``
    must be able to manage migrations by hand, so only the ``run`` command of the
    ``flask`` CLI migrates and loads on start.
    """
    if not app.config["AUTO_SETUP"]:
        return False
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        return True
    context = click.get_current_context(silent=True)
    return context is not None and context.info_name == "run"


def _register_blueprints(app: Flask) -> None:
    from quizapp.assignments.views import bp as assignments_bp
    from quizapp.auth.views import bp as auth_bp
    from quizapp.bank.views import bp as bank_bp
    from quizapp.exam.views import bp as exam_bp
    from quizapp.home.views import bp as home_bp
    from quizapp.progress.views import bp as progress_bp
    from quizapp.quiz.views import bp as quiz_bp
    from quizapp.study.views import bp as study_bp
    from quizapp.teach.views import bp as teach_bp

    for blueprint in (home_bp, auth_bp, bank_bp, study_bp, quiz_bp, exam_bp, progress_bp,
                      assignments_bp, teach_bp):
        app.register_blueprint(blueprint)


def _register_error_pages(app: Flask) -> None:
    def render_error(error: HTTPException) -> tuple[str, int]:
        return render_template(
            "error.html", code=error.code, name=error.name, description=error.description
        ), error.code or 500

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)


def _register_template_helpers(app: Flask) -> None:
    from quizapp.core.bank import CATEGORY_LABELS, KIND_LABELS

    app.jinja_env.globals.update(category_labels=CATEGORY_LABELS, kind_labels=KIND_LABELS)
    app.jinja_env.filters["localtime"] = _local_time


def _local_time(moment: datetime) -> str:
    """A moment in the signed-in user's time zone, as people read it."""
    from quizapp.core.days import timezone_or_utc

    zone = timezone_or_utc(getattr(current_user, "timezone", None))
    return moment.astimezone(zone).strftime("%a %d %b at %H:%M")
