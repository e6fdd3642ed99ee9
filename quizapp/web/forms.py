"""Form pieces several areas share: checkbox groups, category and time-zone choices."""

from __future__ import annotations

from zoneinfo import available_timezones

from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.core.bank import CATEGORIES, CATEGORY_LABELS

_ZONES = sorted(available_timezones())


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, which works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def timezone_choices() -> list[SelectChoice]:
    """Every IANA zone, labelled with spaces for underscores."""
    return [SelectChoice(zone, zone.replace("_", " ")) for zone in _ZONES]


def category_choices() -> list[SelectChoice]:
    """The bank's categories in their fixed order, with their labels."""
    return [SelectChoice(c, CATEGORY_LABELS[c]) for c in CATEGORIES]
