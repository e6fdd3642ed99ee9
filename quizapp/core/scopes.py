"""What a personal access token may do: read, or read and write.

A token holds one scope. ``write`` includes ``read``, so a read-and-write token
serves every route and a read-only one only the routes that change nothing. New
tokens are read-only unless their owner asks for more: a token that leaks from a
script that only reads cannot then be used to change the account's study.
"""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"

    @property
    def label(self) -> str:
        """The scope as the token page names it."""
        return SCOPE_LABELS[self]


SCOPE_LABELS = {Scope.READ: "Read only", Scope.WRITE: "Read and write"}
#: The scope a token gets when its owner does not choose one.
DEFAULT_SCOPE = Scope.READ


def grants(held: Scope, needed: Scope) -> bool:
    """Whether a token holding ``held`` may call a route that needs ``needed``."""
    return held is Scope.WRITE or needed is Scope.READ
