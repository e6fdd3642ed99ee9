"""live games: a live class game's questions and final standings

Revision ID: 0008_live_games
Revises: 0007_api_tokens
Create Date: 2026-12-01 07:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_live_games'
down_revision = '0007_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_games',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_key', sa.String(length=40), nullable=False),
    sa.Column('pin', sa.String(length=6), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('team_mode', sa.Boolean(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_live_games_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_live_games_class_id_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['teacher_id'], ['users.id'], name=op.f('fk_live_games_teacher_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_games')),
    sa.UniqueConstraint('session_key', name=op.f('uq_live_games_session_key'))
    )
    with op.batch_alter_table('live_games', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_games_teacher_id'), ['teacher_id'], unique=False)


def downgrade():
    with op.batch_alter_table('live_games', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_games_teacher_id'))

    op.drop_table('live_games')
