"""Token scopes: write includes read, read grants nothing more."""

from __future__ import annotations

import pytest

from quizapp.core.scopes import DEFAULT_SCOPE, Scope, grants


@pytest.mark.parametrize(
    ("held", "needed", "allowed"),
    [
        (Scope.READ, Scope.READ, True),
        (Scope.READ, Scope.WRITE, False),
        (Scope.WRITE, Scope.READ, True),
        (Scope.WRITE, Scope.WRITE, True),
    ],
)
def test_write_includes_read_and_read_grants_nothing_more(
    held: Scope, needed: Scope, allowed: bool
) -> None:
    assert grants(held, needed) is allowed


def test_a_token_is_read_only_unless_asked_otherwise() -> None:
    assert DEFAULT_SCOPE is Scope.READ
    assert [scope.label for scope in Scope] == ["Read only", "Read and write"]
