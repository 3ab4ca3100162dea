"""The map server's historical entry point: :func:`api.main.create_app` under its old name.

``tongan serve``, the tests and the benchmarks import ``api.server.create_app``; the app is
built in :mod:`api.main` from the routers of :mod:`api.routes`.
"""

from __future__ import annotations

from api.errors import PageError, refuse_control_characters
from api.main import API_DOC, create_app
from api.state import layers_version

__all__ = ["API_DOC", "PageError", "create_app", "layers_version", "refuse_control_characters"]
