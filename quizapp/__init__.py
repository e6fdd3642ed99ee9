"""quizapp: grounded quizzes and spaced-repetition flashcards on the October Revolution."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click
from flask import Flask, Response, g, render_template
from flask_login import current_user
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp.config import build_config
from quizapp.extensions import compress, csrf, db, login_manager


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

    from quizapp.persistence import startup

    startup.install_sqlite_pragmas()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = startup.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        app.config["DATABASE_BUSY_TIMEOUT"],
    )
    db.init_app(app)
    from quizapp.persistence import connections

    with app.app_context():
        connections.install(app, db.engine)  # before the blueprints' hooks
    if _under_flask_cli():  # ``flask db ...``; a worker imports Flask-Migrate only to upgrade
        from quizapp.persistence.schema import register_migrate

        register_migrate(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    compress.init_app(app)

    from quizapp.web import assets, guards, headers, links, theme, throttle

    _trust_proxies(app)

    guards.install(app)  # before the blueprints, so their routes use the bounded converter
    headers.install(app)
    assets.install(app)
    links.install(app)
    throttle.install(app)
    theme.install(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_pages(app)

    from quizapp.cli import register_commands

    register_commands(app)

    if _auto_setup_wanted(app):
        from quizapp.persistence.startup import prepare_database

        with app.app_context():
            prepare_database(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, read the client's address and scheme
    from their X-Forwarded-For and -Proto headers (werkzeug's ProxyFix); with none, the
    headers are ignored, so no client can forge its address."""
    count = app.config["TRUSTED_PROXIES"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def _under_flask_cli() -> bool:
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"


def _auto_setup_wanted(app: Flask) -> bool:
    """Set up on start when serving (gunicorn, ``flask run``, tests), not for other commands.

    ``flask bank check`` must be able to report on a broken bank, and ``flask db``
    must be able to manage migrations by hand, so only the ``run`` command of the
    ``flask`` CLI migrates and loads on start.
    """
    if not app.config["AUTO_SETUP"]:
        return False
    if not _under_flask_cli():
        return True
    context = click.get_current_context(silent=True)
    return context is not None and context.info_name == "run"


def _register_blueprints(app: Flask) -> None:
    """One blueprint per area of the site, each defined in its package's ``__init__``."""
    from quizapp import (
        api,
        assignments,
        auth,
        bank,
        exam,
        exports,
        home,
        live,
        progress,
        quiz,
        study,
        teach,
    )

    areas = (home, auth, bank, study, quiz, exam, progress, assignments, teach, exports, live)
    for area in (*areas, api):
        app.register_blueprint(area.bp)


def _register_error_pages(app: Flask) -> None:
    from quizapp.api import errors as api_errors

    def render_error(error: HTTPException) -> tuple[str, int] | Response:
        if api_errors.is_api_request():  # inside /api: the API's one JSON error shape
            return api_errors.from_http_exception(error)
        return render_template(
            "error.html", code=error.code, name=error.name, description=error.description
        ), error.code or 500

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)

    def database_unavailable(error: DBAPIError) -> tuple[str, int, dict[str, str]] | Response:
        """Busy past the timeout, locked, read-only or full: nothing half-done was kept
        (the transaction is rolled back), so the user may simply try again. The page
        reads nothing from the database, which may still be unable to answer."""
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error.orig)
        g._login_user = login_manager.anonymous_user()  # so rendering loads no account
        if api_errors.is_api_request():
            return api_errors.unavailable()
        return render_template("unavailable.html"), 503, {"Retry-After": "5"}

    for failure in (OperationalError, InternalError):
        app.register_error_handler(failure, database_unavailable)


def _register_template_helpers(app: Flask) -> None:
    from quizapp.core.bank import CATEGORY_LABELS, KIND_LABELS

    app.jinja_env.globals.update(category_labels=CATEGORY_LABELS, kind_labels=KIND_LABELS)
    app.jinja_env.filters["localtime"] = _local_time


def _local_time(moment: datetime) -> str:
    """A moment in the signed-in user's time zone, as people read it."""
    from quizapp.core.days import timezone_or_utc

    zone = timezone_or_utc(getattr(current_user, "timezone", None))
    try:
        return moment.astimezone(zone).strftime("%a %d %b at %H:%M")
    except OverflowError:  # a moment at the edge of the calendar: show it as stored
        return moment.strftime("%Y-%m-%d %H:%M UTC")
