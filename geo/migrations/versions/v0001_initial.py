"""The initial schema: users, audit log, inspections and imported layers.

Revision ID: 0001
Revises:
Create Date: 2026-07-01

On PostgreSQL the features of imported layers carry a PostGIS ``geometry(Geometry,4326)`` column
with a GiST index, so QGIS can open ``layer_features`` directly; on SQLite they are WKB blobs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ROLES = ("admin", "civil_affairs", "river_chief", "viewer")

#: An auto-incrementing key: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table (and, on PostgreSQL, the PostGIS extension when allowed)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")

    op.create_table(
        "store_revision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.CheckConstraint("id = 1", name="store_revision_single_row"),
    )
    op.bulk_insert(
        sa.table("store_revision", sa.column("id", sa.Integer), sa.column("value", sa.BigInteger)),
        [{"id": 1, "value": 0}],
    )

    op.create_table(
        "users",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.CheckConstraint(f"role IN {ROLES!r}", name="users_role_known"),
    )

    op.create_table(
        "audit",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("resource", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )

    op.create_table(
        "inspections",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(100), nullable=False),
        sa.Column("water_id", sa.String(100)),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("inspector", sa.String(100), nullable=False),
        sa.Column("fence", sa.String(20)),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("recorded_at", STAMP, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
    )
    op.create_index("inspections_date_idx", "inspections", ["date"])
    op.create_index("inspections_target_idx", "inspections", ["target", "target_id"])

    op.create_table(
        "inspection_items",
        sa.Column(
            "inspection_id",
            ID,
            sa.ForeignKey("inspections.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("item_id", sa.String(100)),
        sa.Column("condition", sa.String(20), nullable=False),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
    )

    op.create_table(
        "layers",
        sa.Column("name", sa.String(63), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("imported_at", STAMP, nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.Column("n_features", sa.Integer, nullable=False),
        sa.Column("columns", JSON, nullable=False),
    )

    op.create_table(
        "layer_features",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("layer", sa.String(63), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fid", sa.Integer, nullable=False),
        sa.Column("properties", JSON, nullable=False),
        *([] if postgres else [sa.Column("geom", sa.LargeBinary)]),
        sa.ForeignKeyConstraint(
            ["layer", "version"], ["layers.name", "layers.version"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("layer", "version", "fid", name="layer_features_fid_key"),
    )
    if postgres:
        op.execute("ALTER TABLE layer_features ADD COLUMN geom geometry(Geometry, 4326)")
        op.create_index(
            "layer_features_geom_idx", "layer_features", ["geom"], postgresql_using="gist"
        )
    # The latest version of every imported layer (filter on layer = '...' in QGIS).
    op.execute(
        "CREATE VIEW current_layer_features AS"
        " SELECT f.id, f.layer, f.version, f.fid, f.properties, f.geom FROM layer_features f"
        " JOIN (SELECT name, MAX(version) AS version FROM layers GROUP BY name) latest"
        " ON f.layer = latest.name AND f.version = latest.version"
    )


def downgrade() -> None:
    """Drop every table (the PostGIS extension stays)."""
    op.execute("DROP VIEW current_layer_features")
    for table in (
        "layer_features",
        "layers",
        "inspection_items",
        "inspections",
        "audit",
        "users",
        "store_revision",
    ):
        op.drop_table(table)
