"""Accounts scoped to an area, passwords and browser sessions (issue 18).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

``users`` gains ``area`` (an ``areas.code``; NULL: the whole study area, as every user made
before this revision), ``password_hash`` (Argon2id; NULL: token only), ``failed_logins`` and
``locked_until`` (the lockout after repeated wrong passwords), and the roles
``children_director``, ``supervisor`` and ``education``. ``sessions`` holds one row per browser
session: only the SHA-256 of the session id and of its CSRF token are stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

OLD_ROLES = ("admin", "civil_affairs", "river_chief", "viewer")
ROLES = (
    "admin", "civil_affairs", "children_director", "supervisor", "river_chief", "education",
    "viewer",
)  # fmt: skip
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the account columns and the roles to ``users``; create ``sessions``."""
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("users_role_known", type_="check")
        batch.create_check_constraint("users_role_known", f"role IN {ROLES!r}")
        batch.add_column(sa.Column("area", sa.String(64), nullable=True))
        batch.add_column(sa.Column("password_hash", sa.String(255), nullable=True))
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", STAMP, nullable=True))
    op.create_table(
        "sessions",
        sa.Column("id_sha256", sa.String(64), primary_key=True),
        sa.Column(
            "user_name",
            sa.String(100),
            sa.ForeignKey("users.name", ondelete="CASCADE", name="sessions_user"),
            nullable=False,
        ),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("csrf_sha256", sa.String(64), nullable=False),
    )
    op.create_index("sessions_user_name", "sessions", ["user_name"])


def downgrade() -> None:
    op.drop_index("sessions_user_name", table_name="sessions")
    op.drop_table("sessions")
    op.execute(f"DELETE FROM users WHERE role NOT IN {OLD_ROLES!r}")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
        batch.drop_column("password_hash")
        batch.drop_column("area")
        batch.drop_constraint("users_role_known", type_="check")
        batch.create_check_constraint("users_role_known", f"role IN {OLD_ROLES!r}")
