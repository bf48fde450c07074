"""session generation: every staff session names the generation it began in

Bumping a user's generation (sign-out, new password, new role, deactivation, "sign
out everywhere") ends every session cookie of that user, copies included.

Revision ID: 0005_session_generation
Revises: 0004_invalid_traffic
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_session_generation'
down_revision = '0004_invalid_traffic'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
