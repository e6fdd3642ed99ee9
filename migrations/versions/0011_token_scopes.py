"""token scopes: each personal access token is read-only or read-and-write

Tokens made before this revision could always write, so they keep that ('write');
a token made from now on is read-only unless its owner asks for more.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'api_tokens',
        sa.Column('scope', sa.String(length=8), server_default='read', nullable=False),
    )
    # Every row here was made before scopes existed, when any token could write.
    op.execute("UPDATE api_tokens SET scope = 'write'")


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('scope')
