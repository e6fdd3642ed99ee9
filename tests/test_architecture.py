"""The house rules, checked: a small top level, a pure core, and areas that use each
other only through their services and never in a circle."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"
#: The only modules allowed at the top of the package.
TOP_LEVEL = {"__init__.py", "cli.py", "config.py", "extensions.py", "models.py"}
#: Packages that hold a blueprint (one area of the site each).
AREAS = {
    path.parent.name for path in PACKAGE.glob("*/__init__.py") if "Blueprint(" in path.read_text()
}
#: What an area may use of another area: its service layer, never its views or forms;
#: teach's read-only ``reports`` (gradebooks, item analysis) are public too, so the API
#: serves the very figures the teacher's pages show.
PUBLIC_MODULES = {"service", "reports"}


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports by absolute name (``from a import b``: ``a`` and ``a.b``)."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_the_top_level_holds_only_the_factory_config_cli_models_and_extensions() -> None:
    modules = {path.name for path in PACKAGE.glob("*.py")}
    assert modules <= TOP_LEVEL, sorted(modules - TOP_LEVEL)


def test_the_blueprint_areas_are_found() -> None:
    assert {
        "auth",
        "bank",
        "study",
        "quiz",
        "exam",
        "progress",
        "assignments",
        "teach",
        "home",
        "api",
    } <= AREAS


def test_the_core_imports_no_web_database_or_file_format_library() -> None:
    banned = ("flask", "flask_", "sqlalchemy", "werkzeug", "wtforms", "yaml")
    for path in (PACKAGE / "core").rglob("*.py"):  # core/exports too
        for module in imported_modules(path):
            assert not module.startswith(banned), f"{path.name} imports {module}"
            assert not module.startswith("quizapp.") or module.startswith("quizapp.core"), (
                f"{path.name} imports {module}"
            )


def test_the_core_reads_no_files() -> None:
    """No call to ``open``, nor to a path's reading or listing methods, anywhere in core."""
    banned = {"open", "read_text", "read_bytes", "glob", "rglob", "iterdir", "listdir"}
    for path in (PACKAGE / "core").rglob("*.py"):  # core/exports too
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                assert name not in banned, f"{path.name}:{node.lineno} calls {name}"


def area_dependencies() -> dict[str, set[str]]:
    """For each area, the other areas it imports (checking that only services are used)."""
    graph: dict[str, set[str]] = {area: set() for area in AREAS}
    for area in AREAS:
        for path in (PACKAGE / area).glob("*.py"):
            for module in imported_modules(path):
                parts = module.split(".")
                if len(parts) < 2 or parts[0] != "quizapp" or parts[1] not in AREAS:
                    continue
                if parts[1] == area:
                    continue
                if len(parts) > 2:
                    assert parts[2] in PUBLIC_MODULES, (
                        f"{area}/{path.name} reaches into {module}: use its service"
                    )
                graph[area].add(parts[1])
    return graph


def test_areas_use_each_other_only_through_services_and_never_in_a_circle() -> None:
    graph = area_dependencies()
    done: set[str] = set()

    def visit(area: str, trail: tuple[str, ...]) -> None:
        assert area not in trail, " -> ".join((*trail, area))
        if area in done:
            return
        for other in graph[area]:
            visit(other, (*trail, area))
        done.add(area)

    for area in sorted(graph):
        visit(area, ())


@pytest.mark.parametrize("seeder", ["quizapp.demo.student", "quizapp.demo.classroom"])
def test_building_the_app_does_not_load_the_demo_seeders(seeder: str, tmp_path: Path) -> None:
    code = (
        "import sys, quizapp\n"
        f"quizapp.create_app({{'AUTO_SETUP': False, 'SQLALCHEMY_DATABASE_URI': 'sqlite://',"
        f" 'SECRET_KEY': 'x'}}, instance_path={str(tmp_path)!r})\n"
        f"print({seeder!r} in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
