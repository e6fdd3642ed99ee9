"""The signed-in account, for views behind ``login_required``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import current_user

if TYPE_CHECKING:
    from quizapp.models import User


def signed_in_user() -> User:
    """The signed-in account itself, typed: Flask-Login's ``current_user`` proxy is not
    (and handing the proxy to ``login_user`` would make it point at itself).

    Only for views behind ``login_required``, where it is never anonymous. Not for a
    blueprint's ``before_request`` guard: Flask-Login lets a signed-out ``OPTIONS``
    through ``login_required``, and the guard runs before Flask answers it (ask
    ``current_user``, whose ``Visitor`` answers ``is_teacher``, there).
    """
    return current_user._get_current_object()  # type: ignore[no-any-return]
