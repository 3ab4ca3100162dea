"""Alembic environment: runs the migrations on the connection :mod:`geo.storage` passes in.

``Store.open`` puts an open connection, already inside a locked transaction, in
``config.attributes["connection"]``; the migrations then run in that transaction, so a schema is
created or upgraded completely or not at all. Run standalone (``alembic upgrade head`` with a
``sqlalchemy.url``) it connects by itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=None,
        render_as_batch=True,
        version_table="tongan_alembic_version",  # geo.storage.VERSION_TABLE
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Run the migrations on the given connection, or on ``sqlalchemy.url``."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        msg = "no connection: open the database with geo.storage.Store.open, or set sqlalchemy.url"
        raise RuntimeError(msg)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


main()
