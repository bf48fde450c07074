"""delivery alerts: a campaign's salesperson, and the daily digests already sent

A campaign names the staff member who sold it (their digest of delivery alerts lists
it); alert_digest_sent records each (staff member, day) digest sent, so the cron job
never sends one twice.

Revision ID: 0006_delivery_alerts
Revises: 0005_session_generation
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_delivery_alerts'
down_revision = '0005_session_generation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alert_digest_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('alerts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_alert_digest_sent_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_digest_sent')),
    sa.UniqueConstraint('user_id', 'day', name='uq_alert_digest_sent_day')
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('salesperson_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_campaign_salesperson_id'), ['salesperson_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_campaign_salesperson_id_user'), 'user', ['salesperson_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaign_salesperson_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_campaign_salesperson_id'))
        batch_op.drop_column('salesperson_id')

    op.drop_table('alert_digest_sent')
