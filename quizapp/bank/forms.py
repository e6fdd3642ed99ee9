"""The bank browser's filter form (a GET form: it changes nothing, so no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from quizapp.core.bank import CATEGORIES, CATEGORY_LABELS, KIND_LABELS, KINDS


class BankFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    category = SelectField(
        "Category",
        choices=[("", "All categories")] + [(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=[("", "All kinds")] + [(k, KIND_LABELS[k]) for k in KINDS],
        validators=[Optional()],
    )
    tag = SelectField("Tag", choices=[("", "All tags")], validators=[Optional()])
