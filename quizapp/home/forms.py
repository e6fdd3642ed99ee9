"""The theme switch in every page's header."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice

from quizapp.web.theme import THEMES


class ThemeForm(FlaskForm):
    theme = SelectField(
        "Theme",
        choices=[SelectChoice(t, t) for t in THEMES] + [SelectChoice("system", "system")],
    )
    next = HiddenField()
