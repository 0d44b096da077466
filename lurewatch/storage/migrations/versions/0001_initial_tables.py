"""Initial tables, as `create_all` made them before migrations (the baseline).

Revision ID: 0001
Revises:
Create Date: 2026-12-01 10:44:59.036325
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apikey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("apikey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_apikey_prefix"), ["prefix"], unique=False)

    op.create_table(
        "handle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "value"),
    )
    with op.batch_alter_table("handle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handle_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_handle_value"), ["value"], unique=False)

    op.create_table(
        "listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("employer", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("location_country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("salary", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("salary_monthly_usd", sa.Float(), nullable=True),
        sa.Column("date_posted_raw", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("date_posted", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("fetched_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("rendered", sa.Boolean(), nullable=False),
        sa.Column("extraction", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("model_version", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("cluster", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("review_status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_cluster"), ["cluster"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_date_posted"), ["date_posted"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_fetched_at"), ["fetched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_language"), ["language"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_level"), ["level"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_listing_location_country"), ["location_country"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_listing_review_status"), ["review_status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_listing_score"), ["score"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_url"), ["url"], unique=False)

    op.create_table(
        "listinghandle",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("handle_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handle_id"],
            ["handle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listing.id"],
        ),
        sa.PrimaryKeyConstraint("listing_id", "handle_id"),
    )
    with op.batch_alter_table("listinghandle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listinghandle_handle_id"), ["handle_id"], unique=False)

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listing.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_public_id"), ["public_id"], unique=True)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewer", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listing.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_listing_id"), ["listing_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_listing_id"))

    op.drop_table("review")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_public_id"))

    op.drop_table("report")
    with op.batch_alter_table("listinghandle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listinghandle_handle_id"))

    op.drop_table("listinghandle")
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_url"))
        batch_op.drop_index(batch_op.f("ix_listing_source"))
        batch_op.drop_index(batch_op.f("ix_listing_score"))
        batch_op.drop_index(batch_op.f("ix_listing_review_status"))
        batch_op.drop_index(batch_op.f("ix_listing_location_country"))
        batch_op.drop_index(batch_op.f("ix_listing_level"))
        batch_op.drop_index(batch_op.f("ix_listing_language"))
        batch_op.drop_index(batch_op.f("ix_listing_fetched_at"))
        batch_op.drop_index(batch_op.f("ix_listing_date_posted"))
        batch_op.drop_index(batch_op.f("ix_listing_content_hash"))
        batch_op.drop_index(batch_op.f("ix_listing_cluster"))
        batch_op.drop_index(batch_op.f("ix_listing_category"))

    op.drop_table("listing")
    with op.batch_alter_table("handle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handle_value"))
        batch_op.drop_index(batch_op.f("ix_handle_channel"))

    op.drop_table("handle")
    with op.batch_alter_table("apikey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_apikey_prefix"))

    op.drop_table("apikey")
