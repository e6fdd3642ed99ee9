"""Reading the question bank from disk: YAML files and source texts in, a checked bank out.

The bank is a folder of YAML files (one per category) and, under ``sources/``,
the texts the questions cite. This module only reads and parses them; the
rules a question must obey live in ``quizapp.core.checker``, so they can be
tested on plain data. ``read_bank`` never stops at the first mistake: it
returns every problem it finds, each naming the file, the question and the
field. ``load_bank`` is the strict form that refuses a bank with any problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from quizapp.core.bank import Bank, BankError, Problem
from quizapp.core.checker import check_bank
from quizapp.core.sources import Source


def load_bank(directory: str | Path) -> Bank:
    """Read and check the bank; raise ``BankError`` listing every problem."""
    bank, problems = read_bank(directory)
    if problems:
        raise BankError(problems)
    return bank


def read_bank(directory: str | Path) -> tuple[Bank, list[Problem]]:
    """Read every bank file and source, returning the sound questions and all problems."""
    root = Path(directory)
    problems: list[Problem] = []
    sources = read_sources(root / "sources", problems)
    files = sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml"))
    if not files:
        problems.append(Problem(str(root), "no bank files (*.yaml) found"))
    bank = check_bank(_parsed_files(files, problems), sources, problems)
    return bank, problems


def read_sources(directory: Path, problems: list[Problem] | None = None) -> dict[str, Source]:
    """The source texts in ``directory`` by key; unreadable ones become problems."""
    problems = [] if problems is None else problems
    sources: dict[str, Source] = {}
    for path in sorted(directory.glob("*.txt")):
        try:
            sources[path.stem] = Source(path.stem, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(f"sources/{path.name}", f"cannot be read: {error}"))
    if not sources:
        problems.append(Problem("sources", "no source texts (*.txt) found"))
    return sources


def _parsed_files(paths: Iterable[Path], problems: list[Problem]) -> Iterator[tuple[str, object]]:
    """Each readable file's name and YAML content, lazily, so that a file that cannot
    be read or parsed records its problem in order with the checker's own."""
    for path in paths:
        name = path.name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            problems.append(Problem(name, f"is not valid YAML{where}: {problem}"))
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(name, f"cannot be read: {error}"))
            continue
        yield name, data
