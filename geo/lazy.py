"""Package APIs imported on first use (PEP 562), shared by ``geo``, ``analysis`` and ``maps``.

A package lists its public names and the module defining each; :func:`lazy_exports` gives it the
module-level ``__getattr__`` and ``__dir__`` that import a name when it is first asked for, so
``import geo`` stays fast (the command line starts without geopandas, networkx or folium).

Examples
--------
>>> getattr_, dir_ = lazy_exports("demo", {"sqrt": "math"}, ["sqrt"], {})
>>> getattr_("sqrt")(9.0)
3.0
>>> dir_()
['sqrt']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str,
    exports: Mapping[str, str],
    public: Iterable[str],
    namespace: MutableMapping[str, Any],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names import on first use.

    Parameters
    ----------
    package
        The package's name, for the error of an unknown attribute.
    exports
        Public name -> the module defining it.
    public
        The package's ``__all__``.
    namespace
        The package's ``globals()``: a name once imported is kept there, so the next lookup
        does not come back here.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)``, to assign at the package's top level.
    """
    names = list(public)

    def get(name: str) -> Any:
        if name not in exports:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(exports[name]), name)
        namespace[name] = value
        return value

    def listing() -> list[str]:
        return sorted({*namespace, *names})

    return get, listing
