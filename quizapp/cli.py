"""``flask`` commands: ``flask --app quizapp bank check|load|export``."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from quizapp.bank_store import sync_bank
from quizapp.core.bank import load_bank, read_bank
from quizapp.extensions import db

bank_cli = AppGroup("bank", help="Check, load and export the question bank.")


@bank_cli.command("check")
def bank_check() -> None:
    """Check the bank files; list every problem and exit 1 if there are any."""
    directory = current_app.config["BANK_DIR"]
    bank, problems = read_bank(directory)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        sys.exit(1)
    click.echo(f"bank ok: {len(bank.questions)} questions, {len(bank.sources)} sources")


@bank_cli.command("load")
def bank_load() -> None:
    """Sync the bank into the database by stable id (safe to run again)."""
    bank = load_bank(current_app.config["BANK_DIR"])
    report = sync_bank(db.session, bank)
    db.session.commit()
    click.echo(f"bank loaded: {report.summary()}")


@bank_cli.command("export")
def bank_export() -> None:
    """Print the whole bank as JSON on stdout, for other tools."""
    bank = load_bank(current_app.config["BANK_DIR"])
    payload = [question.to_dict() for question in bank.questions]
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def register_commands(app: Flask) -> None:
    app.cli.add_command(bank_cli)
