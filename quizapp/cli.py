"""``flask`` commands: ``bank check|load|export`` and ``users create|promote``."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from quizapp.bank_store import sync_bank
from quizapp.bootstrap import ensure_schema
from quizapp.extensions import db
from quizapp.models import User
from quizapp.persistence.bank_files import load_bank, read_bank

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
    ensure_schema(current_app)
    report = sync_bank(db.session, bank)
    db.session.commit()
    click.echo(f"bank loaded: {report.summary()}")


@bank_cli.command("export")
def bank_export() -> None:
    """Print the whole bank as JSON on stdout, for other tools."""
    bank = load_bank(current_app.config["BANK_DIR"])
    payload = [question.to_dict() for question in bank.questions]
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


users_cli = AppGroup("users", help="Create accounts and manage roles.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", help="Display name (default: the username).")
@click.option("--teacher", is_flag=True, help="Make the account a teacher.")
@click.password_option(help="Password (prompted for if not given).")
def users_create(username: str, display_name: str | None, teacher: bool, password: str) -> None:
    """Create an account (a student unless --teacher)."""
    username = username.strip().lower()
    ensure_schema(current_app)
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"username '{username}' is taken")
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    user = User(username=username, display_name=display_name or username,
                role="teacher" if teacher else "student")
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {user.role} '{username}'")


@users_cli.command("promote")
@click.argument("username")
def users_promote(username: str) -> None:
    """Make an existing account a teacher."""
    ensure_schema(current_app)
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account named '{username}'")
    user.role = "teacher"
    db.session.commit()
    click.echo(f"'{user.username}' is now a teacher")


def register_commands(app: Flask) -> None:
    from quizapp.demo import demo_command
    from quizapp.demo_class import demo_class_command

    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(demo_class_command)
