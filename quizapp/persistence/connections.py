"""How requests use connections to a database server (PostgreSQL): fewer round trips.

On PostgreSQL every round trip costs a request more than the statement it carries,
so two are saved where nothing is lost by it:

- **A ping only after idling.** SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` at
  every checkout. Here a pooled connection is pinged only when it has been idle for
  ``IDLE_BEFORE_PING`` seconds or more, the connections a database restart or an idle
  timeout could have cut. A dead one is replaced before the request sees it (the pool
  event's documented ``DisconnectionError``). A connection cut while in busy use is
  found by the request's first statement: that request gets the "try again" page,
  nothing half-done is kept, and SQLAlchemy recycles the pool so the next one works.
- **Read-only pages outside a transaction.** A GET of a view marked ``reads_only``
  runs its statements in autocommit, so psycopg sends no ``BEGIN`` before them and no
  ``ROLLBACK`` after: two round trips of a study page's five. Each statement then
  reads its own snapshot, which a page that writes nothing can afford. A test holds
  every marked view to writing nothing.

SQLite has no server to lose and begins no transaction for a read, so none of this
is installed there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

#: Seconds a pooled connection may sit idle and still be trusted without a ping.
IDLE_BEFORE_PING = 10.0

#: Where a connection's record keeps the moment it went back to the pool.
CHECKED_IN_AT = "quizapp_checked_in_at"

#: Set in ``app.extensions`` where this is installed (a server database).
INSTALLED = "quizapp.connections"

View = TypeVar("View", bound=Callable[..., Any])

clock: Callable[[], float] = time.monotonic  # tests move it to make a connection idle


def reads_only(view: View) -> View:
    """Mark a view whose GET writes nothing to the database (see the module's notes)."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def install(app: Flask, engine: Engine) -> None:
    """On a server database: ping idle connections only, and run ``reads_only`` GETs
    outside a transaction. Call before the blueprints register their hooks, so the
    signed-in account is read outside one too."""
    if engine.dialect.name == "sqlite":
        return
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _pinger(engine))
    app.extensions[INSTALLED] = True
    app.before_request(_autocommit_if_read_only)


def read_outside_transaction() -> None:
    """Run this request's further statements in autocommit, on a server database.

    For what follows a commit and only reads (the next card after a rating); before
    any statement when a ``reads_only`` view is asked for. Inside a transaction
    already begun it does nothing: that transaction's reads stay in it.
    """
    from quizapp.extensions import db

    if current_app.extensions.get(INSTALLED) and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[CHECKED_IN_AT] = clock()


def _pinger(engine: Engine) -> Callable[[Any, Any, Any], None]:
    dialect = engine.dialect

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in = record.info.get(CHECKED_IN_AT)
        if checked_in is None or clock() - checked_in < IDLE_BEFORE_PING:
            return  # a new connection, or one in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("a pooled connection was cut") from error

    return ping_if_idle


def _autocommit_if_read_only() -> None:
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "reads_only", False):
        read_outside_transaction()
