"""Home-visit and contact records of the children's directors (issue 19).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

``visits`` holds one row per home visit (家访) or contact (联系) of a household: the plan's
checklist, the problems found and the help arranged (帮扶措施), the follow-up date and, when the
director corrected the household's location from the phone, the new point. ``idempotency_key``
(unique) lets a phone resend a record made offline without storing it twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``visits``."""
    op.create_table(
        "visits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("household_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("checklist", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("help", sa.Text, nullable=False),
        sa.Column("follow_up", sa.Date, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("relocate", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("recorded_at", STAMP, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.CheckConstraint("kind IN ('home_visit', 'contact')", name="visits_kind_known"),
    )
    op.create_index("visits_household", "visits", ["household_id"])
    op.create_index("visits_idempotency_key", "visits", ["idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_index("visits_idempotency_key", table_name="visits")
    op.drop_index("visits_household", table_name="visits")
    op.drop_table("visits")
