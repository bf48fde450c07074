"""inserts choose their links by an ordered chain of rules

Revision ID: 0002_rule_chain
Revises: 0001
Create Date: 2026-11-30 12:10:00

Each insert's single ``strategy`` becomes the first and only rule of its new
``rules`` chain, so existing inserts choose as before until staff add rules.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0002_rule_chain'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('insert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules', sa.JSON(), nullable=True))
    inserts = sa.table('insert', sa.column('id', sa.Integer()), sa.column('strategy', sa.String()),
                       sa.column('rules', sa.JSON()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(inserts.c.id, inserts.c.strategy)).all():
        connection.execute(inserts.update().where(inserts.c.id == row.id)
                           .values(rules=[row.strategy or 'section']))
    with op.batch_alter_table('insert', schema=None) as batch_op:
        batch_op.alter_column('rules', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('strategy')


def downgrade():
    with op.batch_alter_table('insert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strategy', sa.String(length=12), nullable=True))
    inserts = sa.table('insert', sa.column('id', sa.Integer()), sa.column('strategy', sa.String()),
                       sa.column('rules', sa.JSON()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(inserts.c.id, inserts.c.rules)).all():
        rules = row.rules if isinstance(row.rules, list) else json.loads(row.rules or '[]')
        connection.execute(inserts.update().where(inserts.c.id == row.id)
                           .values(strategy=(rules or ['section'])[0]))
    with op.batch_alter_table('insert', schema=None) as batch_op:
        batch_op.alter_column('strategy', existing_type=sa.String(length=12), nullable=False)
        batch_op.drop_column('rules')
