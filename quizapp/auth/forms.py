"""Sign-up, sign-in and study-settings forms (all CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Regexp, ValidationError

from quizapp.core.scopes import DEFAULT_SCOPE, Scope
from quizapp.web.forms import MultiCheckboxField, category_choices, timezone_choices

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, hyphens and underscores only."
)


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Sign in")


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 40), USERNAME_RULE])
    display_name = StringField("Your name", validators=[DataRequired(), Length(1, 80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(8, 200)])
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")]
    )
    timezone = SelectField("Time zone", choices=timezone_choices(), default="UTC")
    submit = SubmitField("Create account")


class SettingsForm(FlaskForm):
    display_name = StringField("Your name", validators=[DataRequired(), Length(1, 80)])
    timezone = SelectField("Time zone", choices=timezone_choices())
    answer_mode = RadioField(
        "How you answer",
        choices=[
            SelectChoice("type", "Type or choose the answer; it is checked for you"),
            SelectChoice("flip", "Flip the card and rate yourself"),
        ],
    )
    desired_retention = DecimalField(
        "Desired retention",
        places=2,
        validators=[
            DataRequired(),
            NumberRange(0.70, 0.99, "Choose between 0.70 and 0.99: higher means more reviews."),
        ],
    )
    new_per_day = IntegerField("New cards per day", validators=[NumberRange(0, 500)])
    max_reviews_per_day = IntegerField("Maximum reviews per day", validators=[NumberRange(1, 5000)])
    study_categories = MultiCheckboxField(
        "Categories to study (none ticked means all)",
        choices=category_choices(),
    )
    submit = SubmitField("Save settings")

    def validate_new_per_day(self, field: IntegerField) -> None:
        if field.data is None:
            raise ValidationError("Enter a whole number.")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("New password", validators=[DataRequired(), Length(8, 200)])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", "The two passwords differ.")],
    )
    submit = SubmitField("Change password")


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(1, 80)],
        description="What the token is for, so you can tell your tokens apart.",
    )
    scope = RadioField(
        "What it may do",
        choices=[
            SelectChoice(Scope.READ.value, "Read only (default)"),
            SelectChoice(Scope.WRITE.value, "Read and write"),
        ],
        default=DEFAULT_SCOPE.value,
        description=(
            "A read-only token reads your study, progress and classes but changes nothing; "
            "a read-and-write token may also record reviews."
        ),
    )
    submit = SubmitField("Create token")


class RevokeTokenForm(FlaskForm):
    """A token's Revoke button: nothing but the CSRF token."""


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=200)])
    understand = BooleanField(
        "I understand that my account and all of its data are deleted for good",
        validators=[DataRequired("Tick the box to confirm.")],
    )
    submit = SubmitField("Delete my account")
