"""Alembic migrations of the workspace database (see :mod:`geo.storage`).

:meth:`geo.storage.Store.open` runs them to the head revision on every start, with its own
connection. A new migration goes in ``versions/`` (``alembic revision`` with
``script_location = geo/migrations``, or by hand after ``v0001_initial.py``) and must work on both
SQLite and PostgreSQL/PostGIS.
"""
