"""The quiz builder form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from quizapp.core.bank import KIND_LABELS, KINDS
from quizapp.web.forms import MultiCheckboxField, TagPickerField, category_choices


class QuizBuilderForm(FlaskForm):
    categories = MultiCheckboxField(
        "Categories (none ticked means all)",
        choices=category_choices(),
    )
    kinds = MultiCheckboxField(
        "Kinds of question (none ticked means all)",
        choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS],
    )
    tags = TagPickerField("Only questions tagged (optional)", choices=[])
    count = IntegerField(
        "Number of questions",
        default=10,
        validators=[
            InputRequired("Say how many questions."),
            NumberRange(1, 50, "Choose from 1 to 50 questions."),
        ],
    )
    feedback = RadioField(
        "Feedback",
        choices=[SelectChoice("each", "After each question"), SelectChoice("end", "At the end")],
        default="each",
    )
    always_choice = BooleanField("Give me choices instead of typing where possible")
