"""Forms of live games: joining with a PIN, and the teacher's new game."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from quizapp.core.live import NICKNAME_MAX, QUESTION_SECONDS
from quizapp.web.forms import MultiCheckboxField, category_choices


class JoinForm(FlaskForm):
    pin = StringField(
        "Game PIN",
        validators=[
            DataRequired("Enter the game's PIN."),
            Regexp(r"^[1-9][0-9]{5}$", message="The PIN is the six digits on the big screen."),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": "6"},
    )
    # Length is checked by the game's own rules (quizapp.core.live), with their messages.
    nickname = StringField(
        "Nickname",
        validators=[DataRequired("Choose a nickname."), Length(max=NICKNAME_MAX * 4)],
        render_kw={"autocomplete": "nickname", "maxlength": str(NICKNAME_MAX)},
    )


class NewGameForm(FlaskForm):
    quiz_set = SelectField("Questions", coerce=int, default=0)
    categories = MultiCheckboxField(
        "Categories for a quick draw (none ticked means all)", choices=category_choices()
    )
    count = IntegerField("Questions in a quick draw", default=5, validators=[NumberRange(1, 30)])
    school_class = SelectField("Class (results go to its gradebook)", coerce=int, default=0)
    seconds = SelectField(
        "Seconds per question",
        coerce=int,
        default=20,
        choices=[SelectChoice(n, f"{n} seconds") for n in QUESTION_SECONDS],
    )
    team_mode = BooleanField("Team mode: players are dealt into teams at random")
