"""Stored patrol checks: a river chief's day verified against the plan (issue 19).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

``patrol_checks`` holds one row per river chief and day (unique: a re-check of the same day
replaces the earlier one, keeping its id): the counts of planned, visited and skipped stops, of
the red ones (the class the plan must visit) planned and visited, the unplanned stops, the
track's distance and time, and ``stops``, the planned stops as JSON (spot id, village code, red,
visited), so that a township counts the stops in its own villages. Self-contained: it creates
and drops its own table and indexes only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create ``patrol_checks``."""
    op.create_table(
        "patrol_checks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("river_chief", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("planned", sa.Integer, nullable=False),
        sa.Column("visited", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("red_planned", sa.Integer, nullable=False),
        sa.Column("red_visited", sa.Integer, nullable=False),
        sa.Column("unplanned", sa.Integer, nullable=False),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("minutes", sa.Float, nullable=False),
        sa.Column("stops", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", STAMP, nullable=False),
        sa.UniqueConstraint("river_chief", "day", name="patrol_checks_chief_day"),
        sa.CheckConstraint(
            "visited + skipped = planned AND red_visited <= red_planned",
            name="patrol_checks_counts",
        ),
    )
    op.create_index("patrol_checks_day", "patrol_checks", ["day"])


def downgrade() -> None:
    op.drop_index("patrol_checks_day", table_name="patrol_checks")
    op.drop_table("patrol_checks")
