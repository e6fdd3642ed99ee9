"""Form pieces several areas share: checkbox groups, category and time-zone choices,
and the one window every date in a form must fall in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.core.bank import CATEGORIES, CATEGORY_LABELS

_ZONES = sorted(available_timezones())
#: No date in any form lies further ahead than this (exams, assignment windows).
DAYS_AHEAD = 730
#: Nor further back than this, where a past date makes sense (an assignment's opening).
DAYS_BACK = 366
PASSED = "The exam date has passed; choose today or a later day."
TOO_FAR_AHEAD = "Choose a date within the next two years."
TOO_FAR_BACK = "Choose a date within the last year."


class DatedForm(FlaskForm):
    """A form that knows the day it is filled in (in the user's zone), for ``NearToday``."""

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today


class NearToday:
    """A date no further than ``DAYS_AHEAD`` after the form's ``today``, and no earlier
    than ``days_back`` before it (0: today or later). Dates out of this window are
    typing slips (year 0001, 9999) that would otherwise break every page showing them."""

    def __init__(self, days_back: int = 0) -> None:
        self.days_back = days_back

    def __call__(self, form: DatedForm, field: DateField) -> None:
        if field.data is None:
            return
        if field.data < form.today - timedelta(days=self.days_back):
            raise ValidationError(TOO_FAR_BACK if self.days_back else PASSED)
        if field.data > form.today + timedelta(days=DAYS_AHEAD):
            raise ValidationError(TOO_FAR_AHEAD)


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, which works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TagPickerField(MultiCheckboxField):
    """Tags to pick from: a checkbox group that ``static/app.js`` gives a filter box."""


def timezone_choices() -> list[SelectChoice]:
    """Every IANA zone, labelled with spaces for underscores."""
    return [SelectChoice(zone, zone.replace("_", " ")) for zone in _ZONES]


def category_choices() -> list[SelectChoice]:
    """The bank's categories in their fixed order, with their labels."""
    return [SelectChoice(c, CATEGORY_LABELS[c]) for c in CATEGORIES]
