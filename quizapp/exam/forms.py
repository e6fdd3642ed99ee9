"""The exam plan form: date and scope."""

from __future__ import annotations

from wtforms import DateField
from wtforms.validators import DataRequired

from quizapp.web.forms import (
    DatedForm,
    MultiCheckboxField,
    NearToday,
    TagPickerField,
    category_choices,
)


class ExamForm(DatedForm):
    exam_date = DateField(
        "Exam date", validators=[DataRequired("Enter the exam's date."), NearToday()]
    )
    categories = MultiCheckboxField(
        "Categories in the exam (none ticked means all)",
        choices=category_choices(),
    )
    tags = TagPickerField("Only these tags (optional)", choices=[])
