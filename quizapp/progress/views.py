"""Progress: charts and tables of the signed-in student's own reviews and cards.

The queries here fetch plain rows for the signed-in user only; the figures
are computed by ``quizapp.core.stats`` and drawn by ``charts``, and the
template shows each chart beside a table of the same numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_login import login_required

from quizapp.core.bank import CATEGORY_LABELS
from quizapp.core.days import study_day
from quizapp.core.stats import (
    BAND_LABELS,
    NEW,
    STATE_LABELS,
    HeatCell,
    Mastery,
    accuracy_by_category,
    calendar_weeks,
    due_forecast,
    mastery_by_category,
    overall_accuracy,
    reviews_per_day,
    week_rows,
)
from quizapp.exam import service as exam_service
from quizapp.models import User, utcnow
from quizapp.persistence.connections import reads_only
from quizapp.progress import bp, charts
from quizapp.progress import service as progress_service
from quizapp.progress.service import ReviewRow
from quizapp.study import service
from quizapp.web.accounts import signed_in_user

WEEKS = 26
FORECAST_DAYS = 30
STATE_COLOURS = ("#d9d6cf", "#f0a500", "#1d6b34", "#b42318")
BAND_COLOURS = ("#d9d6cf", "#c6dbef", "#86b4dd", "#3f7fc1", "#1a4fa0")


@bp.before_request
@login_required
def require_login() -> None:
    """Progress is personal: only the signed-in student's own data is ever shown."""


@bp.get("/")
@reads_only
def index() -> str:
    user, now = signed_in_user(), utcnow()
    reviews = progress_service.review_rows(user)
    return render_template(
        "progress/index.html",
        total_reviews=len(reviews),
        calendar=_calendar(user, reviews, now),
        forecast=_forecast(user, now),
        accuracy=_accuracy(reviews),
        mastery=_mastery(user),
        readiness=_readiness(user, now),
    )


@bp.context_processor
def day_labels() -> dict[str, Any]:
    """Dates as people write them ("Mon 3 Mar 2025"), the same in tables and charts."""
    return {"day_label": charts.day_label, "short_day": charts.short_day}


def _label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


# Reviews per day ---------------------------------------------------------------


def _calendar(user: User, reviews: list[ReviewRow], now: datetime) -> dict[str, Any]:
    """The heatmap of the last 26 weeks, by the student's own calendar days."""
    counts = reviews_per_day((moment for moment, _, _ in reviews), user.timezone)
    weeks = calendar_weeks(counts, study_day(now, user.timezone), WEEKS)
    shown = [cell for week in weeks for cell in week if cell is not None]
    active = [cell for cell in shown if cell.count]
    total = sum(cell.count for cell in shown)
    chart = charts.heatmap(
        "chart-calendar",
        "Reviews per day, last 26 weeks",
        _calendar_summary(total, active, len(shown)),
        weeks,
    )
    return {"chart": chart, "rows": week_rows(weeks), "total": total, "active_days": len(active)}


def _calendar_summary(total: int, active: list[HeatCell], days: int) -> str:
    if not active:
        return f"No reviews in the last {days} days."
    busiest = max(active, key=lambda cell: (cell.count, cell.day))
    return (
        f"{total} reviews on {len(active)} of the last {days} days; the busiest day was "
        f"{busiest.day:%A} {busiest.day.day} {busiest.day:%B %Y} with {busiest.count}."
    )


# Due forecast -------------------------------------------------------------------


def _forecast(user: User, now: datetime) -> dict[str, Any]:
    """Started cards (in the student's study categories) falling due over the next 30 days."""
    dues = [card.due for card in service.started_cards(user)]
    days = due_forecast(dues, now, user.timezone, FORECAST_DAYS)
    total = sum(count for _, count in days)
    summary = (
        f"{total} cards due in the next {FORECAST_DAYS} days, {days[0][1]} of them today "
        f"(overdue cards count on today)."
    )
    chart = charts.day_bars(
        "chart-forecast", f"Cards due, next {FORECAST_DAYS} days", summary, days
    )
    return {"chart": chart, "days": days, "total": total, "started": len(dues)}


# Accuracy -----------------------------------------------------------------------


def _accuracy(reviews: list[ReviewRow]) -> dict[str, Any]:
    """Share of reviews rated Good or Easy, per category, over the whole log."""
    rows = accuracy_by_category(
        ((category, rating) for _, rating, category in reviews), CATEGORY_LABELS
    )
    overall = overall_accuracy(rows)
    summary = "; ".join(f"{_label(r.category)} {r.percent}% of {r.reviews}" for r in rows)
    chart = charts.percent_bars(
        "chart-accuracy",
        "Accuracy by category (reviews rated Good or Easy)",
        summary or "No reviews yet.",
        [(_label(r.category), r.percent) for r in rows],
    )
    return {"chart": chart, "rows": rows, "overall": overall}


# Mastery ------------------------------------------------------------------------


def _mastery(user: User) -> dict[str, Any]:
    """Every question in the bank by FSRS state and by how stable its memory is."""
    rows = mastery_by_category(progress_service.question_rows(user), CATEGORY_LABELS)
    states = [
        charts.Segment(label, colour)
        for label, colour in zip(STATE_LABELS.values(), STATE_COLOURS, strict=True)
    ]
    bands = [
        charts.Segment(label, colour)
        for label, colour in zip(BAND_LABELS, BAND_COLOURS, strict=True)
    ]
    totals = _mastery_totals(rows)
    by_state = charts.stacked_bars(
        "chart-states",
        "Questions by study state",
        _summary(totals["state"]),
        states,
        [(_label(r.category), list(r.by_state.values())) for r in rows],
    )
    by_band = charts.stacked_bars(
        "chart-stability",
        "Questions by memory stability",
        _summary(totals["band"]),
        bands,
        [(_label(r.category), list(r.by_band.values())) for r in rows],
    )
    return {
        "rows": rows,
        "states": STATE_LABELS,
        "bands": BAND_LABELS,
        "totals": totals,
        "by_state": by_state,
        "by_band": by_band,
        "started": sum(r.total - r.by_state[NEW] for r in rows),
    }


def _mastery_totals(rows: list[Mastery]) -> dict[str, dict[Any, int]]:
    return {
        "state": {
            label: sum(r.by_state[state] for r in rows) for state, label in STATE_LABELS.items()
        },
        "band": {band: sum(r.by_band[band] for r in rows) for band in BAND_LABELS},
    }


def _summary(counts: dict[Any, int]) -> str:
    whole = sum(counts.values())
    parts = ", ".join(f"{count} {str(label).lower()}" for label, count in counts.items())
    return f"Of {whole} questions: {parts}."


# Readiness ----------------------------------------------------------------------


def _readiness(user: User, now: datetime) -> dict[str, Any] | None:
    """Readiness for the exam over time, when the student has an exam plan."""
    plan = exam_service.plan_for(user)
    if plan is None:
        return None
    points: list[tuple[date, float]] = exam_service.history(user, plan, now)
    current = exam_service.exam_readiness(user, plan).percent
    exam_day = f"{plan.exam_date.day} {plan.exam_date:%B %Y}"
    summary = (
        f"Predicted share recalled on exam day ({exam_day}), at the end "
        f"of each day since the plan began; {current}% now."
    )
    chart = charts.percent_line("chart-readiness", "Exam readiness over time", summary, points)
    rows = [(day, round(share * 100)) for day, share in points]
    return {"chart": chart, "rows": rows, "current": current, "plan": plan}
