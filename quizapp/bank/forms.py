"""The bank browser's filter form (a GET form: it changes nothing, so no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from quizapp.core.bank import CATEGORIES, CATEGORY_LABELS, KIND_LABELS, KINDS


def options(everything: str, pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Select options: first the empty "everything" choice, then ``(value, label)`` pairs."""
    return [SelectChoice("", everything)] + [SelectChoice(value, label) for value, label in pairs]


class BankFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    category = SelectField(
        "Category",
        choices=options("All categories", [(c, CATEGORY_LABELS[c]) for c in CATEGORIES]),
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=options("All kinds", [(k, KIND_LABELS[k]) for k in KINDS]),
        validators=[Optional()],
    )
    tag = SelectField("Tag", choices=options("All tags", []), validators=[Optional()])
