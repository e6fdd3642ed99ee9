"""The exam plan form: date and scope."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField
from wtforms.validators import DataRequired, ValidationError

from quizapp.web.forms import MultiCheckboxField, category_choices


class ExamForm(FlaskForm):
    exam_date = DateField("Exam date", validators=[DataRequired("Enter the exam's date.")])
    categories = MultiCheckboxField(
        "Categories in the exam (none ticked means all)",
        choices=category_choices(),
    )
    tags = SelectMultipleField("Only these tags (optional)", choices=[])

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_exam_date(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data < self.today:
            raise ValidationError("The exam date has passed; choose today or a later day.")
        if field.data > self.today + timedelta(days=730):
            raise ValidationError("Choose a date within the next two years.")
