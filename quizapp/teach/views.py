"""The teacher's pages: classes and members, quiz sets, assignments, gradebooks, analysis.

Every route looks its object up through ``service.owned_*`` with the signed-in
teacher, so another teacher's ids answer 404 and students get 403 throughout.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from quizapp.core.assignments import local_to_utc, utc_to_local
from quizapp.core.days import study_day
from quizapp.core.exports.importing import ImportInvalid
from quizapp.core.roster import RosterInvalid
from quizapp.extensions import db
from quizapp.models import Assignment, QuizAttempt, QuizSet, SchoolClass, utcnow
from quizapp.persistence.bank_queries import tag_counts
from quizapp.persistence.connections import reads_only
from quizapp.teach import bp, reports, service
from quizapp.teach.forms import (
    AddMemberForm,
    AssignForm,
    ClassForm,
    DrawForm,
    ImportForm,
    QuestionFilterForm,
    RosterForm,
    SetForm,
    WindowForm,
    tags_from_text,
)
from quizapp.web.accounts import signed_in_user
from quizapp.web.downloads import attachment
from quizapp.web.texts import evidence_in_context


@bp.before_request
@login_required
def require_teacher() -> None:
    """Teachers only. ``login_required`` lets a signed-out ``OPTIONS`` through, so the
    role is asked of ``current_user`` (a ``Visitor`` then, never a teacher), not of
    ``signed_in_user``, which is an account only past the sign-in check."""
    if not current_user.is_teacher:
        abort(403)


def _class_or_404(class_id: int) -> SchoolClass:
    return service.owned_class(signed_in_user(), class_id) or abort(404)


def _set_or_404(set_id: int) -> QuizSet:
    return service.owned_set(signed_in_user(), set_id) or abort(404)


def _today() -> date:
    """Today in the signed-in teacher's zone: the day the teacher's forms are filled in."""
    return study_day(utcnow(), signed_in_user().timezone)


def _assignment_or_404(assignment_id: int) -> Assignment:
    return service.owned_assignment(signed_in_user(), assignment_id) or abort(404)


@bp.get("/")
def index() -> str:
    return render_template(
        "teach/index.html",
        classes=service.classes_of(signed_in_user()),
        sets=service.sets_of(signed_in_user()),
    )


# ---------------------------------------------------------------- classes


@bp.route("/classes/new", methods=["GET", "POST"])
def new_class() -> str | BaseResponse | tuple[str, int]:
    form = ClassForm(timezone=signed_in_user().timezone, today=_today())
    if form.validate_on_submit():
        school_class = service.create_class(
            signed_in_user(), form.name.data.strip(), form.timezone.data
        )
        _apply_exam(school_class, form)
        flash(f"Class {school_class.name} created. Give students the join code below.", "success")
        return redirect(url_for("teach.class_page", class_id=school_class.id))
    return render_template("teach/class_form.html", form=form, school_class=None), (
        400 if form.errors else 200
    )


def _apply_exam(school_class: SchoolClass, form: ClassForm) -> None:
    school_class.exam_date = form.exam_date.data
    school_class.exam_categories = list(form.exam_categories.data or [])
    school_class.exam_tags = tags_from_text(form.exam_tags.data)
    db.session.commit()


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
def edit_class(class_id: int) -> str | BaseResponse | tuple[str, int]:
    school_class = _class_or_404(class_id)
    form = ClassForm(obj=school_class, today=_today())
    if request.method == "GET":
        form.exam_tags.data = ", ".join(school_class.exam_tags or [])
    if form.validate_on_submit():
        school_class.name = form.name.data.strip()
        school_class.timezone = form.timezone.data
        _apply_exam(school_class, form)
        flash("Class saved.", "success")
        return redirect(url_for("teach.class_page", class_id=class_id))
    return render_template("teach/class_form.html", form=form, school_class=school_class), (
        400 if form.errors else 200
    )


@bp.get("/classes/<int:class_id>")
def class_page(class_id: int) -> str:
    return _class_page_with(_class_or_404(class_id))


@bp.post("/classes/<int:class_id>/code")
def join_code(class_id: int) -> BaseResponse:
    school_class = _class_or_404(class_id)
    action = request.form.get("action")
    if action == "rotate":
        service.rotate_join_code(school_class)
        flash(f"New join code: {school_class.join_code}. The old one no longer works.", "success")
    elif action in ("open", "close"):
        school_class.joining_open = action == "open"
        db.session.commit()
        flash("Joining is " + ("on." if school_class.joining_open else "off."), "success")
    else:
        abort(400)
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/members")
def add_member(class_id: int) -> BaseResponse | tuple[str, int]:
    school_class = _class_or_404(class_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _class_page_with(school_class, add_form=form), 400
    flash(service.add_by_username(school_class, form.username.data, utcnow()), "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.post("/classes/<int:class_id>/roster")
def upload_roster(class_id: int) -> str | tuple[str, int]:
    school_class = _class_or_404(class_id)
    form = RosterForm()
    if form.validate_on_submit():
        try:
            created = service.import_roster(school_class, form.roster.data.read(), utcnow())
        except RosterInvalid as invalid:
            form.roster.errors = [str(error) for error in invalid.errors]
        else:
            flash(f"{len(created)} account{'' if len(created) == 1 else 's'} created.", "success")
            return _class_page_with(school_class, created=created)
    return _class_page_with(school_class, roster_form=form), 400


def _class_page_with(school_class: SchoolClass, **overrides: Any) -> str:
    context: dict[str, Any] = {
        "school_class": school_class,
        "members": service.members(school_class),
        "assignments": service.class_assignments(school_class),
        "add_form": AddMemberForm(),
        "roster_form": RosterForm(),
        "created": None,
    }
    context.update(overrides)
    return render_template("teach/class.html", **context)


@bp.post("/classes/<int:class_id>/members/<int:user_id>/remove")
def remove_member(class_id: int, user_id: int) -> BaseResponse:
    school_class = _class_or_404(class_id)
    if not service.is_member(class_id, user_id):
        abort(404)
    service.remove_member(school_class, user_id)
    flash("Student removed from the class; their attempts are kept.", "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.get("/classes/<int:class_id>/gradebook")
@reads_only
def class_gradebook(class_id: int) -> str:
    school_class = _class_or_404(class_id)
    return render_template(
        "teach/class_gradebook.html",
        school_class=school_class,
        book=reports.class_gradebook(school_class),
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
def class_gradebook_csv(class_id: int) -> Response:
    school_class = _class_or_404(class_id)
    return attachment(
        reports.class_csv(reports.class_gradebook(school_class)),
        f"class-{class_id}-gradebook.csv",
        "text/csv",
    )


@bp.get("/classes/<int:class_id>/readiness")
def class_readiness(class_id: int) -> str:
    school_class = _class_or_404(class_id)
    return render_template(
        "teach/readiness.html",
        school_class=school_class,
        report=reports.class_readiness(school_class),
    )


# ---------------------------------------------------------------- quiz sets


@bp.route("/sets/new", methods=["GET", "POST"])
def new_set() -> str | BaseResponse | tuple[str, int]:
    form = SetForm()
    if form.validate_on_submit():
        now = utcnow()
        quiz_set = QuizSet(
            teacher_id=signed_in_user().id, question_ids=[], created_at=now, updated_at=now
        )
        _apply_set(quiz_set, form)
        db.session.add(quiz_set)
        db.session.commit()
        flash("Set created. Now add questions from the bank.", "success")
        return redirect(url_for("teach.edit_set", set_id=quiz_set.id))
    return render_template("teach/set_new.html", form=form), (400 if form.errors else 200)


def _apply_set(quiz_set: QuizSet, form: SetForm) -> None:
    quiz_set.title = form.title.data.strip()
    quiz_set.instructions = (form.instructions.data or "").strip()
    quiz_set.per_attempt = form.per_attempt.data
    quiz_set.shuffle = bool(form.shuffle.data)
    quiz_set.attempts_allowed = form.attempts_allowed.data
    quiz_set.time_limit_minutes = form.time_limit_minutes.data
    quiz_set.feedback = form.feedback.data


@bp.route("/sets/<int:set_id>", methods=["GET", "POST"])
def edit_set(set_id: int) -> str | BaseResponse | tuple[str, int]:
    quiz_set = _set_or_404(set_id)
    form = SetForm(obj=quiz_set)
    if form.validate_on_submit():
        if form.per_attempt.data and form.per_attempt.data > len(quiz_set.question_ids):
            form.per_attempt.errors = [
                f"The set has {len(quiz_set.question_ids)} questions; draw at most that many."
            ]
        else:
            _apply_set(quiz_set, form)
            quiz_set.updated_at = utcnow()
            db.session.commit()
            flash("Set saved. Attempts already taken keep the questions they had.", "success")
            return redirect(url_for("teach.edit_set", set_id=set_id))
    return _set_page(quiz_set, form), (400 if form.errors else 200)


def _set_page(
    quiz_set: QuizSet,
    form: SetForm,
    draw_form: DrawForm | None = None,
    import_form: ImportForm | None = None,
) -> str:
    filters = QuestionFilterForm(request.args)
    filters.tag.choices = [
        SelectChoice("", "Any"),
        *[SelectChoice(tag, f"{tag} ({n})") for tag, n in tag_counts()],
    ]
    candidates = service.filtered_questions(
        filters.category.data or "",
        filters.tag.data or "",
        filters.kind.data or "",
        filters.text.data or "",
    )
    return render_template(
        "teach/set.html",
        quiz_set=quiz_set,
        form=form,
        filters=filters,
        candidates=candidates,
        chosen=service.questions_in(quiz_set),
        draw_form=draw_form or DrawForm(),
        import_form=import_form or ImportForm(),
        filter_args=request.args.to_dict(),
    )


@bp.post("/sets/<int:set_id>/import")
def import_questions(set_id: int) -> BaseResponse | tuple[str, int]:
    quiz_set = _set_or_404(set_id)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            added = service.import_questions(
                signed_in_user(),
                quiz_set,
                form.questions_file.data.read(),
                form.file_format.data,
                form.default_category.data,
                utcnow(),
            )
        except ImportInvalid as invalid:
            form.questions_file.errors = [str(error) for error in invalid.errors]
        else:
            flash(
                f"{added} question{'' if added == 1 else 's'} imported into the set "
                "as your own (not from the source texts).",
                "success",
            )
            return redirect(url_for("teach.edit_set", set_id=set_id))
    return _set_page(quiz_set, SetForm(obj=quiz_set), import_form=form), 400


@bp.post("/sets/<int:set_id>/questions")
def add_questions(set_id: int) -> BaseResponse:
    quiz_set = _set_or_404(set_id)
    added = service.add_questions(quiz_set, request.form.getlist("question_id"), utcnow())
    flash(f"{added} question{'' if added == 1 else 's'} added.", "success")
    return redirect(url_for("teach.edit_set", set_id=set_id, **_filter_args()))


def _filter_args() -> dict[str, str]:
    return {
        key: request.form.get(key, "")
        for key in ("category", "tag", "kind", "text")
        if request.form.get(key)
    }


@bp.post("/sets/<int:set_id>/questions/remove")
def remove_question(set_id: int) -> BaseResponse:
    quiz_set = _set_or_404(set_id)
    service.remove_question(quiz_set, request.form.get("question_id", ""), utcnow())
    flash("Question removed from the set.", "success")
    return redirect(url_for("teach.edit_set", set_id=set_id, **_filter_args()))


@bp.post("/sets/<int:set_id>/draw")
def draw(set_id: int) -> BaseResponse | tuple[str, int]:
    quiz_set = _set_or_404(set_id)
    form = DrawForm()
    if not form.validate_on_submit():
        return _set_page(quiz_set, SetForm(obj=quiz_set), draw_form=form), 400
    candidates = service.filtered_questions(
        *(request.form.get(key, "") for key in ("category", "tag", "kind", "text"))
    )
    added = service.draw_into_set(quiz_set, candidates, form.count.data, utcnow())
    flash(
        f"{added} question{'' if added == 1 else 's'} drawn at random from the filter.", "success"
    )
    return redirect(url_for("teach.edit_set", set_id=set_id, **_filter_args()))


@bp.post("/sets/<int:set_id>/copy")
def copy_set(set_id: int) -> BaseResponse:
    quiz_set = _set_or_404(set_id)
    duplicate = service.copy_set(signed_in_user(), quiz_set, utcnow())
    flash(f"Copied as '{duplicate.title}'.", "success")
    return redirect(url_for("teach.edit_set", set_id=duplicate.id))


@bp.route("/sets/<int:set_id>/assign", methods=["GET", "POST"])
def assign(set_id: int) -> str | BaseResponse | tuple[str, int]:
    quiz_set = _set_or_404(set_id)
    classes = service.classes_of(signed_in_user())
    today = _today()
    form = AssignForm(today=today)
    form.school_class.choices = [SelectChoice(c.id, c.name) for c in classes]
    if request.method == "GET":
        form.opens_on.data, form.due_on.data = today, today + timedelta(days=7)
    if not quiz_set.question_ids:
        form.form_errors.append("Add questions to the set before assigning it.")
    elif form.validate_on_submit():
        school_class = _class_or_404(form.school_class.data)
        assignment = service.assign(
            quiz_set,
            school_class,
            local_to_utc(form.opens_on.data, form.opens_at.data, school_class.timezone),
            local_to_utc(form.due_on.data, form.due_at.data, school_class.timezone),
            bool(form.accept_late.data),
            bool(form.add_to_deck.data),
            utcnow(),
        )
        flash(f"'{quiz_set.title}' assigned to {school_class.name}.", "success")
        return redirect(url_for("teach.assignment", assignment_id=assignment.id))
    return render_template("teach/assign.html", quiz_set=quiz_set, form=form, classes=classes), (
        400 if form.errors else 200
    )


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int) -> str | BaseResponse | tuple[str, int]:
    """Move an assignment's window or change late work; attempts already made stay."""
    found = _assignment_or_404(assignment_id)
    zone = found.school_class.timezone
    form = WindowForm(today=_today())
    if request.method == "GET":
        form.accept_late.data = found.accept_late
        with suppress(OverflowError):  # a moment the zone cannot show: enter new dates
            form.opens_on.data, form.opens_at.data = utc_to_local(found.opens_at, zone)
            form.due_on.data, form.due_at.data = utc_to_local(found.due_at, zone)
    if form.validate_on_submit():
        found.opens_at = local_to_utc(form.opens_on.data, form.opens_at.data, zone)
        found.due_at = local_to_utc(form.due_on.data, form.due_at.data, zone)
        found.accept_late = bool(form.accept_late.data)
        db.session.commit()
        flash("Assignment saved.", "success")
        return redirect(url_for("teach.assignment", assignment_id=found.id))
    attempts = len(service.attempts_for(found))
    return render_template(
        "teach/assignment_edit.html", assignment=found, form=form, attempts=attempts
    ), (400 if form.errors else 200)


@bp.post("/assignments/<int:assignment_id>/delete")
def delete_assignment(assignment_id: int) -> BaseResponse:
    """Withdraw an assignment, with every attempt made at it (the page asks first)."""
    found = _assignment_or_404(assignment_id)
    class_id, title = found.class_id, found.quiz_set.title
    db.session.delete(found)
    db.session.commit()
    flash(f"'{title}' withdrawn, with its attempts.", "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


# ---------------------------------------------------------------- results


@bp.get("/assignments/<int:assignment_id>")
@reads_only
def assignment(assignment_id: int) -> str:
    found = _assignment_or_404(assignment_id)
    sort = request.args.get("sort", "")
    if sort.removeprefix("-") not in reports.GRADEBOOK_SORTS:
        sort = ""
    rows = reports.sort_gradebook(reports.assignment_gradebook(found), sort)
    return render_template("teach/gradebook.html", assignment=found, rows=rows, sort=sort)


@bp.get("/sets/<int:set_id>/print")
def print_set(set_id: int) -> str:
    """The set as a paper test: every question with room to answer, then the answer key."""
    quiz_set = _set_or_404(set_id)
    return render_template(
        "teach/set_print.html", quiz_set=quiz_set, questions=service.questions_in(quiz_set)
    )


@bp.get("/assignments/<int:assignment_id>/gradebook.csv")
def assignment_csv(assignment_id: int) -> Response:
    found = _assignment_or_404(assignment_id)
    return attachment(
        reports.assignment_csv(reports.assignment_gradebook(found)),
        f"assignment-{assignment_id}-gradebook.csv",
        "text/csv",
    )


@bp.get("/assignments/<int:assignment_id>/items")
def items(assignment_id: int) -> str:
    found = _assignment_or_404(assignment_id)
    rows, attempts = reports.item_analysis(found)
    return render_template(
        "teach/items.html",
        assignment=found,
        rows=rows,
        attempts=attempts,
        sample_note=reports.item_sample_note(attempts),
    )


@bp.get("/attempts/<int:attempt_id>")
def attempt(attempt_id: int) -> str:
    found: QuizAttempt = service.owned_attempt(signed_in_user(), attempt_id) or abort(404)
    rows = [(answer, evidence_in_context(answer.question)) for answer in found.answers]
    return render_template("teach/attempt.html", attempt=found, rows=rows)
