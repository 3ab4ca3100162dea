"""The map pages' results, cached per page, language, basemap, role and parameters.

A result stays valid while the layers its computation read keep their versions: an
inspection changes the equipment, so it recomputes the pages that read equipment and leaves
the others cached (:meth:`PageResults.get`). The map HTML is rendered on first use (the data
API never needs it).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from analysis.privacy import public_table
from api.pages import PageResult
from api.workspace import Snapshot
from geo.layers import Layers
from geo.schemas import SCHEMAS
from geo.settings import Language, Settings
from geo.tiles import TileInfo
from maps.base import add_village_search
from maps.chinese_tiles import Basemap, choose_basemap
from maps.local_tiles import add_local_tiles
from maps.offline import localise

#: How many page results the server keeps (least recently used go first).
CACHE_SIZE = 64

#: A cached result's key: (page, lang, basemap, sees households, parameters as JSON).
ResultKey = tuple[str, Language, str, bool, str]
#: The (layer, version) pairs a result was computed from.
Depends = tuple[tuple[str, str], ...]


class Rendered:
    """A page's result, and its map HTML rendered on first use (the data API never needs it)."""

    def __init__(self, result: PageResult, render: Callable[[], str]) -> None:
        self.result = result
        self._render = render
        self._html: str | None = None
        self._lock = threading.Lock()

    @property
    def html(self) -> str:
        """The map as a standalone HTML document (every asset served locally)."""
        with self._lock:  # rendered once, even when two requests ask at once
            if self._html is None:
                self._html = self._render()
            return self._html


class PageResults:
    """The least-recently-used cache of page results, safe across request threads.

    ``hits`` and ``misses`` count the lookups (for tests and benchmarks).
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[ResultKey, tuple[Depends, Rendered]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: ResultKey, snap: Snapshot) -> Rendered | None:
        """The cached result of ``key`` if every layer it read has its version in ``snap``."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and all(snap.layer_version(n) == v for n, v in hit[0]):
                self._entries.move_to_end(key)
                self.hits += 1
                return hit[1]
            self.misses += 1
            return None

    def put(self, key: ResultKey, depends: Depends, rendered: Rendered) -> None:
        """Keep ``rendered`` until a layer of ``depends`` changes or it is the oldest."""
        with self._lock:
            self._entries[key] = (depends, rendered)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def public_result(result: PageResult, settings: Settings) -> PageResult:
    """The result as a role without household access gets it: in every table (downloads and
    the data API alike) small groups are withheld and counts rounded."""
    tables = {
        name: public_table(frame, settings=settings.privacy)
        for name, frame in result.tables.items()
    }
    return dataclasses.replace(result, tables=tables)


#: Where the map server serves the county's own tiles (:mod:`api.routes.tiles`).
TILE_URL = "/tiles/{z}/{x}/{y}"


def map_html(
    result: PageResult,
    snap: Snapshot,
    *,
    lang: Language,
    basemap: Basemap,
    tianditu_key: str | None,
    tiles: TileInfo | None = None,
) -> str:
    """The page's map as HTML: village search, the basemap (the county's own tiles first when
    the server has them, except over Amap's shifted coordinates), every asset localised."""
    add_village_search(result.map, snap.layers.areas, lang=lang)
    choose_basemap(result.map, basemap, lang=lang, tianditu_key=tianditu_key)
    if tiles is not None and basemap != "amap":
        add_local_tiles(result.map, tiles, TILE_URL, lang=lang)
    return localise(result.map.get_root().render())


class _Recording(Layers):
    """Layers that note which layers a page computation reads: its cache dependencies.

    Conservative: anything that walks every layer (``items()``, ``to_crs``) reads them all.
    """

    def __getattribute__(self, name: str) -> Any:
        if name in SCHEMAS:
            seen = object.__getattribute__(self, "__dict__").get("_seen")
            if seen is not None:
                seen.add(name)
        return object.__getattribute__(self, name)


def recording(layers: Layers, seen: set[str]) -> Layers:
    """``layers`` that add the name of every layer read to ``seen``."""
    out = _Recording(**{name: frame for name, frame in layers.items()})
    object.__setattr__(out, "_seen", seen)
    return out
