"""Forms of the teacher's pages: classes, members, quiz sets, assignments."""

from __future__ import annotations

from datetime import datetime, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from quizapp.core.bank import KIND_LABELS, KINDS
from quizapp.core.exports.importing import FORMAT_LABELS
from quizapp.web.forms import (
    DAYS_BACK,
    DatedForm,
    MultiCheckboxField,
    NearToday,
    category_choices,
    timezone_choices,
)


class ClassForm(DatedForm):
    name = StringField("Class name", validators=[DataRequired("Name the class."), Length(1, 80)])
    timezone = SelectField("Time zone", choices=timezone_choices(), default="Europe/London")
    exam_date = DateField("Exam date (optional)", validators=[Optional(), NearToday()])
    exam_categories = MultiCheckboxField(
        "Categories in the exam (none ticked means all)", choices=category_choices()
    )
    exam_tags = StringField(
        "Tags in the exam (optional, separated by commas)", validators=[Length(max=400)]
    )


class AddMemberForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired("Enter a username."), Length(max=40)]
    )


class RosterForm(FlaskForm):
    roster = FileField("Roster CSV", validators=[FileRequired("Choose a CSV file.")])


class ImportForm(FlaskForm):
    """A teacher's file of questions to add to a set (see quizapp/core/exports/importing.py)."""

    questions_file = FileField(
        "File of questions", validators=[FileRequired("Choose a CSV, TSV or GIFT file.")]
    )
    file_format = SelectField(
        "Format", choices=[SelectChoice(key, label) for key, label in FORMAT_LABELS.items()]
    )
    default_category = SelectField(
        "Category for questions the file gives none", choices=category_choices(), default="events"
    )


class SetForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Give the set a title."), Length(1, 120)])
    instructions = TextAreaField("Instructions for students", validators=[Length(max=2000)])
    per_attempt = IntegerField(
        "Questions per attempt (empty means all)", validators=[Optional(), NumberRange(1, 500)]
    )
    shuffle = BooleanField("Shuffle the order for each attempt", default=True)
    attempts_allowed = IntegerField(
        "Attempts allowed (empty means unlimited)",
        validators=[Optional(), NumberRange(1, 50)],
        default=1,
    )
    time_limit_minutes = IntegerField(
        "Time limit in minutes (empty means none)", validators=[Optional(), NumberRange(1, 600)]
    )
    feedback = RadioField(
        "When students see the right answers",
        default="end",
        choices=[
            SelectChoice("each", "After each question"),
            SelectChoice("end", "At the end of the attempt"),
            SelectChoice("after_due", "Only after the due date"),
        ],
    )


class QuestionFilterForm(FlaskForm):
    """The bank filter on the set editor (GET, so no CSRF)."""

    class Meta:
        csrf = False

    category = SelectField(
        "Category", choices=[SelectChoice("", "Any"), *category_choices()], validators=[Optional()]
    )
    tag = SelectField("Tag", choices=[SelectChoice("", "Any")], validators=[Optional()])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Any"), *[SelectChoice(k, KIND_LABELS[k]) for k in KINDS]],
        validators=[Optional()],
    )
    text = StringField("Text", validators=[Optional(), Length(max=100)])


class DrawForm(FlaskForm):
    count = IntegerField(
        "How many at random",
        default=5,
        validators=[DataRequired("Enter how many."), NumberRange(1, 200)],
    )


class WindowForm(DatedForm):
    """When an assignment opens and is due (read in the class's zone), and late work."""

    opens_on = DateField(
        "Opens on",
        validators=[DataRequired("Enter the opening date."), NearToday(days_back=DAYS_BACK)],
    )
    opens_at = TimeField(
        "Opening time", default=time(0, 0), validators=[DataRequired("Enter a time.")]
    )
    due_on = DateField(
        "Due on", validators=[DataRequired("Enter the due date."), NearToday(days_back=DAYS_BACK)]
    )
    due_at = TimeField("Due time", default=time(23, 59), validators=[DataRequired("Enter a time.")])
    accept_late = BooleanField("Accept late submissions (marked late)", default=True)

    def validate_due_on(self, field: DateField) -> None:
        if not (self.opens_on.data and field.data and self.opens_at.data and self.due_at.data):
            return
        opens = datetime.combine(self.opens_on.data, self.opens_at.data)
        if datetime.combine(field.data, self.due_at.data) <= opens:
            raise ValidationError("The due date must come after the opening.")


class AssignForm(WindowForm):
    school_class = SelectField("Class", coerce=int, validate_choice=True)
    add_to_deck = BooleanField("Also add the set's questions to each student's study deck")


def tags_from_text(text: str | None) -> list[str]:
    return sorted({tag.strip().lower() for tag in (text or "").split(",") if tag.strip()})
