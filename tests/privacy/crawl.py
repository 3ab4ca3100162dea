"""Crawl a running server as one role: every URL it offers, found from the server itself.

Starting from the index page, the OpenAPI schema and the OGC landing page: every map page
(``/maps/<name>``), its map HTML (``/maps/<name>/map``), every layer and popup file the map's HTML
references (``layers/<key>.geojson?...``), every download link on the page (XLSX, CSV, GPKG, GPX),
every ``/api`` GET endpoint of the OpenAPI schema without path parameters (defaults), and every
OGC collection's ``/items`` (all pages, following ``next``) and single features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

#: Single features fetched per OGC collection (``/items/{id}``).
SINGLE_FEATURES = 10
TIMEOUT_S = 300.0

_MAP_LINK = re.compile(r"""href=["'](/maps/[A-Za-z0-9_-]+)(?:\?[^"']*)?["']""")
_DOWNLOAD = re.compile(r"""href=["']([^"']*download\.[a-z]+[^"']*)["']""")
_LAYER = re.compile(r"""layers/[^"'\s\\]+?\.geojson\?[^"'\s\\]*""")


@dataclass(frozen=True)
class Output:
    """One response: its URL, its kind (json, geojson, html, csv, xlsx, gpkg, gpx) and body."""

    url: str
    status: int
    kind: str
    body: bytes


def kind_of(response: httpx.Response) -> str:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    path = urlsplit(str(response.url)).path
    for suffix in ("xlsx", "csv", "gpkg", "gpx"):
        if path.endswith(f".{suffix}"):
            return suffix
    if "geo+json" in media or path.endswith(".geojson"):
        return "geojson"
    if "json" in media:
        return "json"
    if "html" in media:
        return "html"
    return media or "unknown"


@dataclass
class Crawl:
    """Everything one role got from a server."""

    outputs: list[Output] = field(default_factory=list)

    def ok(self) -> list[Output]:
        return [o for o in self.outputs if o.status == 200]

    def urls(self) -> list[str]:
        return [o.url for o in self.outputs]


class Crawler:
    """A client of one role (a token or none) against ``base``."""

    def __init__(self, base: str, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=base, headers=headers, timeout=TIMEOUT_S)
        self.seen: set[str] = set()
        self.crawl = Crawl()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, params: dict[str, object] | None = None) -> Output:
        response = self.client.get(url, params=params)  # type: ignore[arg-type]
        full = str(response.request.url)
        out = Output(full, response.status_code, kind_of(response), response.content)
        if full not in self.seen:
            self.seen.add(full)
            self.crawl.outputs.append(out)
        return out

    # --- the parts of a server ------------------------------------------------------------------

    def map_names(self) -> list[str]:
        index = self.get("/")
        return sorted({m.split("/")[2] for m in _MAP_LINK.findall(index.body.decode())})

    def map_page(self, name: str, params: dict[str, object] | None = None) -> list[Output]:
        """A map page, its map HTML, the layers that HTML references and its downloads."""
        page = self.get(f"/maps/{name}", params)
        html = self.get(f"/maps/{name}/map", params)
        got = [page, html]
        base = f"{self.client.base_url}".rstrip("/") + f"/maps/{name}/map"
        for link in sorted(set(_LAYER.findall(html.body.decode("utf-8", "replace")))):
            got.append(self.get(urljoin(base, link.replace("&amp;", "&"))))
        for link in sorted(set(_DOWNLOAD.findall(page.body.decode("utf-8", "replace")))):
            got.append(
                self.get(urljoin(f"{self.client.base_url}/maps/{name}", link.replace("&amp;", "&")))
            )
        return got

    def api_paths(self) -> dict[str, dict[str, object]]:
        """GET paths of the OpenAPI schema under /api, without path parameters."""
        schema = self.get("/openapi.json")
        paths = httpx.Response(200, content=schema.body).json()["paths"]
        return {
            path: ops["get"]
            for path, ops in paths.items()
            if path.startswith("/api/") and "get" in ops and "{" not in path
        }

    def ogc(self, bbox: str | None = None) -> list[Output]:
        """Every OGC collection's items (every page) and some of its single features."""
        listing = self.get("/ogc/collections")
        got = [listing]
        for collection in httpx.Response(200, content=listing.body).json()["collections"]:
            cid = collection["id"]
            got.append(self.get(f"/ogc/collections/{cid}"))
            url: str | None = f"/ogc/collections/{cid}/items"
            params: dict[str, object] | None = {"limit": 1000, **({"bbox": bbox} if bbox else {})}
            ids: list[str] = []
            while url is not None:
                page = self.get(url, params)
                got.append(page)
                if page.status != 200:
                    break
                doc = httpx.Response(200, content=page.body).json()
                ids.extend(str(f["id"]) for f in doc["features"] if "id" in f)
                nxt = [link["href"] for link in doc["links"] if link["rel"] == "next"]
                url, params = (nxt[0], None) if nxt else (None, None)
            if bbox is None:
                for fid in ids[:SINGLE_FEATURES]:
                    got.append(self.get(f"/ogc/collections/{cid}/items/{fid}"))
        return got

    def everything(self) -> Crawl:
        """Crawl every map page, every /api GET endpoint and every OGC collection."""
        for name in self.map_names():
            self.map_page(name)
        for path in self.api_paths():
            self.get(path)
        self.get("/ogc")
        self.ogc()
        return self.crawl
