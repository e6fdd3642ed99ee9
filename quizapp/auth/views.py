"""Accounts: register, sign in and out, and each student's study settings."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from quizapp.auth import bp, service
from quizapp.auth.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordForm,
    RegisterForm,
    RevokeTokenForm,
    SettingsForm,
    TokenForm,
)
from quizapp.auth.security import (
    is_safe_next,
    password_check_refused,
    remember_device,
    sign_in_refused,
)
from quizapp.core.scopes import Scope
from quizapp.extensions import db, login_manager
from quizapp.models import User, utcnow
from quizapp.web.accounts import signed_in_user
from quizapp.web.downloads import attachment
from quizapp.web.guards import MAX_ID
from quizapp.web.throttle import Refusal


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """The account a session belongs to, unless its sessions were ended since it began."""
    user_id, _, version = session_key.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > MAX_ID:
        return None
    user = db.session.scalar(_account_statement(), {"user_id": int(user_id)})
    return user if user is not None and user.session_version == int(version) else None


@cache
def _account_statement() -> Select[tuple[User]]:
    """Built once: on every request, building ``session.get``'s statement cost more than
    running it."""
    return select(User).where(User.id == bindparam("user_id"))


def _next_url() -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else url_for("home.index")


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(
            username=form.username.data.strip().lower(),
            display_name=form.display_name.data.strip(),
            timezone=form.timezone.data,
            role="student",
        )
        user.set_password(form.password.data)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.username.errors.append("That username is taken; choose another.")
        else:
            login_user(user)
            flash(f"Welcome, {user.display_name}! Your first cards are ready.", "success")
            return remember_device(redirect(url_for("home.index")), user.username)
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        refusal = sign_in_refused(username)
        if refusal is not None:
            form.password.errors.append(
                f"Too many sign-in attempts. Wait {refusal.wait}, then try again."
            )
            return render_template("auth/login.html", form=form), 429, refusal.headers
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append("Wrong username or password.")
            return render_template("auth/login.html", form=form), 200
        login_user(user)
        return remember_device(redirect(_next_url()), username)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """Sign out on every device: a copy of this session's cookie stops working too."""
    if current_user.is_authenticated:
        signed_in_user().end_all_sessions()
        db.session.commit()
    logout_user()
    flash("You are signed out on every device.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | Response | tuple[str, int]:
    user = signed_in_user()
    form = SettingsForm(obj=user)
    if request.method == "GET":
        form.desired_retention.data = Decimal(str(user.desired_retention))
    if form.validate_on_submit():
        user.display_name = form.display_name.data.strip()
        user.timezone = form.timezone.data
        user.answer_mode = form.answer_mode.data
        user.desired_retention = float(form.desired_retention.data)
        user.new_per_day = form.new_per_day.data
        user.max_reviews_per_day = form.max_reviews_per_day.data
        user.study_categories = list(form.study_categories.data or [])
        db.session.commit()
        flash("Settings saved.", "success")
        return redirect(url_for("auth.settings"))
    return _settings_page(form)


def _settings_page(
    form: SettingsForm | None = None,
    token_form: TokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    user = signed_in_user()
    if form is None:
        form = SettingsForm(obj=user, formdata=None)
        form.desired_retention.data = Decimal(str(user.desired_retention))
    return render_template(
        "auth/settings.html",
        form=form,
        token_form=token_form or TokenForm(formdata=None),
        revoke_form=RevokeTokenForm(formdata=None),
        tokens=service.tokens_of(user),
        scope_label=lambda scope: Scope(scope).label,
        new_token=new_token,
    ), status


# ---------------------------------------------------------------- API tokens


@bp.post("/settings/tokens")
@login_required
def create_token() -> str | tuple[str, int]:
    """Make a token and show it once, on this page; only its hash is kept."""
    token_form = TokenForm()
    if not token_form.validate_on_submit():
        return _settings_page(token_form=token_form, status=400)
    made = service.create_token(
        signed_in_user(), token_form.name.data.strip(), utcnow(), Scope(token_form.scope.data)
    )
    if isinstance(made, str):
        token_form.name.errors = [made]
        return _settings_page(token_form=token_form, status=400)
    return _settings_page(new_token=made[1])


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    if not service.revoke_token(signed_in_user(), token_id):
        abort(404)
    flash("Token revoked: programs using it can no longer sign in with it.", "success")
    return redirect(url_for("auth.settings"))


# ---------------------------------------------------------------- one's own data


@bp.get("/settings/data.json")
@login_required
def data_json() -> Response:
    user = signed_in_user()
    body = json.dumps(service.own_data(user), ensure_ascii=False, indent=2)
    return attachment(body, f"quizapp-{user.username}.json", "application/json")


@bp.get("/settings/data/reviews.csv")
@login_required
def reviews_csv() -> Response:
    user = signed_in_user()
    return attachment(service.reviews_csv(user), f"quizapp-{user.username}-reviews.csv", "text/csv")


@bp.get("/settings/data/settings.csv")
@login_required
def settings_csv() -> Response:
    user = signed_in_user()
    return attachment(
        service.settings_csv(user), f"quizapp-{user.username}-settings.csv", "text/csv"
    )


# ---------------------------------------------------------------- deleting the account


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Delete the account and everything that is its own, once the password confirms it.

    A teacher who runs classes is refused: their students' assignments and grades
    belong to those classes."""
    user = signed_in_user()
    owned = service.classes_owned(user)
    form = DeleteAccountForm()
    if request.method == "POST":
        if owned:
            return render_template("auth/delete.html", form=form, owned=owned), 400
        if form.validate_on_submit():
            refusal = password_check_refused(user)
            if refusal is not None:
                form.password.errors = [_too_many_checks(refusal)]
                return (
                    render_template("auth/delete.html", form=form, owned=owned),
                    429,
                    refusal.headers,
                )
            if user.check_password(form.password.data):
                service.delete_account(user)
                logout_user()
                flash("Your account and all of its data were deleted.", "success")
                return redirect(url_for("home.index"))
            form.password.errors = ["That is not your password."]
        return render_template("auth/delete.html", form=form, owned=owned), 400
    return render_template("auth/delete.html", form=form, owned=owned)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Change one's password; accounts made from a roster must, before anything else."""
    user = signed_in_user()
    form = PasswordForm()
    if form.validate_on_submit():
        refusal = password_check_refused(user)
        if refusal is not None:
            form.current.errors.append(_too_many_checks(refusal))
            return render_template("auth/password.html", form=form), 429, refusal.headers
        if not user.check_password(form.current.data):
            form.current.errors.append("That is not your current password.")
        elif form.password.data == form.current.data:
            form.password.errors.append("Choose a password different from the current one.")
        else:
            user.set_password(form.password.data)
            user.must_change_password = False
            user.end_all_sessions()
            db.session.commit()
            login_user(user)  # this session goes on; every other one has ended
            flash(
                "Password changed. Any other device you were signed in on is signed out.", "success"
            )
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


def _too_many_checks(refusal: Refusal) -> str:
    return f"Too many password checks. Wait {refusal.wait}, then try again."


#: What an account with a one-time password may reach before choosing its own.
OPEN_BEFORE_PASSWORD_CHANGE = frozenset({"auth.password", "auth.logout", "static"})


@bp.before_app_request
def require_own_password() -> Response | None:
    if request.blueprint == "api":  # the API reads tokens, never the session
        return None
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in OPEN_BEFORE_PASSWORD_CHANGE
    ):
        flash("Choose your own password to finish setting up your account.", "warning")
        return redirect(url_for("auth.password"))
    return None
