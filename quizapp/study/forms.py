"""Study forms: answering a card, and rating it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class AnswerForm(FlaskForm):
    """The front of a card. ``flip`` set means "show me the answer, I'll rate myself"."""

    question_id = HiddenField(validators=[DataRequired()])
    presentation = HiddenField(validators=[DataRequired()])
    shown_at = HiddenField()
    flip = HiddenField()
    response = StringField("Your answer", validators=[Optional(), Length(max=500)])


class ReviewForm(FlaskForm):
    """The back of a card: the rating button pressed, and what was answered."""

    question_id = HiddenField(validators=[DataRequired()])
    presentation = HiddenField(validators=[DataRequired()])
    response = HiddenField()
    duration_ms = HiddenField()
    rating = IntegerField(validators=[DataRequired(), NumberRange(1, 4)])
