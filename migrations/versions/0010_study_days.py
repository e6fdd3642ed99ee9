"""study days: one row per student and day with reviews, for the streak

Revision ID: 0010
Revises: 0008_live_games
Create Date: 2026-12-01 07:40:00

"""
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008_live_games'
branch_labels = None
depends_on = None


def upgrade():
    study_days = op.create_table(
        'study_days',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('run', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'day'),
    )
    _backfill(study_days)


def _zone(name):
    try:
        return ZoneInfo(name or 'UTC')
    except (KeyError, ValueError):
        return UTC


def _backfill(study_days):
    """Count every past review on its day in the student's time zone, and the runs."""
    bind = op.get_bind()
    users = bind.execute(sa.text('SELECT id, timezone FROM users')).all()
    for user_id, timezone in users:
        zone = _zone(timezone)
        moments = bind.execute(
            sa.text('SELECT reviewed_at FROM reviews WHERE user_id = :user'), {'user': user_id}
        ).scalars()
        days = Counter(_aware(moment).astimezone(zone).date() for moment in moments)
        rows, runs = [], {}
        for day in sorted(days):
            runs[day] = runs.get(day - timedelta(days=1), 0) + 1
            rows.append({'user_id': user_id, 'day': day, 'reviews': days[day], 'run': runs[day]})
        if rows:
            op.bulk_insert(study_days, rows)


def _aware(moment):
    """Stored UTC moments: SQLite hands them back as naive datetimes (or text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def downgrade():
    op.drop_table('study_days')
