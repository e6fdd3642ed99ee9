"""teacher questions: imported questions owned by a teacher, outside the shipped bank

Revision ID: 0006_teacher_questions
Revises: 0005
Create Date: 2026-12-01 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_teacher_questions'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_questions_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_questions_owner_id_users'), 'users', ['owner_id'], ['id']
        )


def downgrade():
    # Teacher questions cannot live without their owner column: they go with it,
    # with everything that refers to them.
    questions = "SELECT id FROM questions WHERE owner_id IS NOT NULL"
    for table in ('reviews', 'cards', 'quiz_answers', 'question_tags'):
        op.execute(f"DELETE FROM {table} WHERE question_id IN ({questions})")
    op.execute("DELETE FROM questions WHERE owner_id IS NOT NULL")
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_questions_owner_id'))
        batch_op.drop_column('owner_id')
