"""quizapp: grounded quizzes and spaced-repetition flashcards on the October Revolution."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click
from flask import Flask
from flask_login import current_user
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

    from quizapp.web import assets, error_pages, guards, headers, links, theme, throttle

    _trust_proxies(app)

    guards.install(app)  # before the blueprints, so their routes use the bounded converter
    headers.install(app)
    assets.install(app)
    links.install(app)
    throttle.install(app)
    theme.install(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    error_pages.install(app)

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
