"""Reviews remember the API key that made them; reports keep the ad title; risk-order index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("api_key_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_review_api_key_id", "apikey", ["api_key_id"], ["id"])
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "title",
                sqlmodel.sql.sqltypes.AutoString(length=1000),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.create_index("ix_listing_score_id", ["score", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.drop_index("ix_listing_score_id")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("title")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint("fk_review_api_key_id", type_="foreignkey")
        batch_op.drop_column("api_key_id")
