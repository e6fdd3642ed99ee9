"""Forms of the student's class and assignment pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    code = StringField(
        "Class code",
        validators=[DataRequired("Enter the code your teacher gave you."), Length(max=20)],
    )
    submit = SubmitField("Join class")
