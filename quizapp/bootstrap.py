"""First-start work: migrate the schema and load the bank, safely under several workers."""

from __future__ import annotations

import logging

from flask import Flask
from flask_migrate import upgrade

from quizapp.bank_store import SyncReport, sync_bank
from quizapp.config import MIGRATIONS_DIR
from quizapp.database import setup_lock
from quizapp.extensions import db
from quizapp.persistence.bank_files import load_bank

log = logging.getLogger(__name__)


def prepare_database(app: Flask) -> SyncReport:
    """Migrate to the latest schema and sync the bank, one process at a time.

    The bank is checked before anything is written: a bank that fails its
    check raises ``BankError`` with every problem, and the app does not start
    on half a bank.
    """
    bank = load_bank(app.config["BANK_DIR"])
    with setup_lock(db.engine, app.instance_path):
        upgrade(directory=str(MIGRATIONS_DIR))
        report = sync_bank(db.session, bank)
        db.session.commit()
    if report.changed:
        log.info("question bank synced: %s", report.summary())
    return report


def ensure_schema(app: Flask) -> None:
    """Migrate to the latest schema (under the set-up lock), for commands that need it."""
    with setup_lock(db.engine, app.instance_path):
        upgrade(directory=str(MIGRATIONS_DIR))
