"""Count corrections and withdrawals of inspection records (issue 16).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

``store_revision.edits`` increases with every ``PATCH`` or ``DELETE /api/inspections/{id}``, in
the same transaction, so a server applying new inspections incrementally knows when a stored
record changed and it must rebuild instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``store_revision.edits`` (0 for an existing database)."""
    with op.batch_alter_table("store_revision") as batch:
        batch.add_column(sa.Column("edits", sa.BigInteger, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("store_revision") as batch:
        batch.drop_column("edits")
