"""``flask`` commands: ``bank check|load|export``, ``users create|promote``,
``backup``/``restore`` and the ``demo`` seeders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from quizapp.core.bank import CATEGORIES
from quizapp.extensions import db
from quizapp.models import User, utcnow
from quizapp.persistence import bank_cache
from quizapp.persistence.backup import BackupError, backup, restore
from quizapp.persistence.bank_files import load_bank, read_bank
from quizapp.persistence.bank_sync import sync_bank
from quizapp.persistence.startup import ensure_schema, prepare_database

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
    bank_cache.invalidate()
    click.echo(f"bank loaded: {report.summary()}")


EXPORT_FORMATS = ("json", "apkg", "gift", "moodle-xml", "csv", "tsv")


@bank_cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="json (every field, for other tools), an Anki package, Moodle GIFT or XML, CSV or TSV.",
)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only this category.")
@click.option("--tag", help="Only questions with this tag.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (default: standard output; an .apkg needs a file).",
)
def bank_export(fmt: str, category: str | None, tag: str | None, output: Path | None) -> None:
    """Export the bank (or a category or tag of it), as JSON by default."""
    bank = load_bank(current_app.config["BANK_DIR"])
    questions = [
        q
        for q in bank.questions
        if (category is None or q.category == category) and (tag is None or tag in q.tags)
    ]
    if fmt == "json":
        body = json.dumps([q.to_dict() for q in questions], indent=2, ensure_ascii=False) + "\n"
        data = body.encode()
    else:
        if fmt == "apkg" and output is None:
            raise click.UsageError("an Anki package is a binary file: give --output PATH")
        from quizapp.exports.service import build

        titles = {key: source.title for key, source in bank.sources.items()}
        data = build(questions, fmt, titles, utcnow())
    if output is None:
        click.echo(data.decode(), nl=False)
        return
    output.write_bytes(data)
    click.echo(f"wrote {len(questions)} questions as {fmt} to {output}", err=True)


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
    user = User(
        username=username,
        display_name=display_name or username,
        role="teacher" if teacher else "student",
    )
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


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a backup of the whole database to PATH (safe while the app serves)."""
    try:
        backup(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {path}")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace everything in the database with this backup?")
def restore_command(path: Path) -> None:
    """Replace the database with the backup at PATH (stop the app's workers first)."""
    try:
        restore(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"database restored from {path}")


#: How many students ``flask demo-class`` can make (the seeder has that many names).
DEMO_CLASS_MAX = 12


@click.command("demo")
@with_appcontext
@click.option("--username", default="demo", show_default=True, help="The demo account's name.")
@click.option(
    "--password",
    default="demo-password",
    show_default=True,
    help="The demo account's password (8 characters at least).",
)
@click.option(
    "--days",
    default=28,
    show_default=True,
    type=click.IntRange(1, 365),
    help="Days of study history to simulate, ending yesterday.",
)
def demo_command(username: str, password: str, days: int) -> None:
    """Create (or recreate) a demo student with a few weeks of review history."""
    from quizapp.demo.student import create_demo_student  # the seeders load only when asked

    username = username.strip().lower()
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    reviews = create_demo_student(username, password, days)
    click.echo(f"demo student ready: {reviews} reviews over the last {days} days")
    click.echo(f"username: {username}")
    click.echo(f"password: {password}")


@click.command("demo-class")
@with_appcontext
@click.option("--teacher", default="demo-teacher", show_default=True)
@click.option(
    "--password",
    default="demo-password",
    show_default=True,
    help="The password of the teacher and of every student (8 characters at least).",
)
@click.option("--students", default=10, show_default=True, type=click.IntRange(2, DEMO_CLASS_MAX))
@click.option(
    "--days",
    default=10,
    show_default=True,
    type=click.IntRange(1, 60),
    help="Days of study history to simulate for each student.",
)
def demo_class_command(teacher: str, password: str, students: int, days: int) -> None:
    """Create (or recreate) a demo teacher, class, quiz sets, assignments and results."""
    from quizapp.demo.classroom import create_demo_class

    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    teacher = teacher.strip().lower()
    usernames = create_demo_class(teacher, password, students, days)
    click.echo(f"demo class ready: {students} students with {days} days of study each")
    click.echo(
        f"teacher: {teacher} / {password}; students: {usernames[0]} ... "
        f"{usernames[-1]}, same password"
    )


@click.command("seed")
@with_appcontext
@click.option("--prefix", default="load", show_default=True, help="Usernames are PREFIX-0000...")
@click.option("--students", default=200, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--cards",
    default=150,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Cards per student, all due now (at most the bank's size).",
)
@click.option(
    "--reviews",
    default=1000,
    show_default=True,
    type=click.IntRange(0, 50_000_000),
    help="Review rows of history in all, dealt among the students' cards.",
)
@click.option("--password", default="load-password", show_default=True)
def seed_command(prefix: str, students: int, cards: int, reviews: int, password: str) -> None:
    """Write benchmark data fast: students with due cards and long review histories."""
    from quizapp.demo.bulk import SeedError, seed_students

    prepare_database(current_app)  # migrated, with the bank loaded, as on start
    try:
        report = seed_students(
            prefix=prefix.strip().lower(),
            students=students,
            cards_per_student=cards,
            reviews=reviews,
            password=password,
            now=utcnow(),
        )
    except SeedError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"seeded {len(report.usernames)} students ({report.usernames[0]} ... "
        f"{report.usernames[-1]}, password {password!r}): "
        f"{report.cards} cards, {report.reviews} reviews"
    )


def register_commands(app: Flask) -> None:
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(demo_class_command)
