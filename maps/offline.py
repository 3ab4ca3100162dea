"""Serving folium's scripts and styles from this machine, so maps work without the internet.

folium writes ``<script src=...>`` and ``<link href=...>`` pointing at public CDNs. Township
offices often have poor or no internet, and the tests run offline, so the map server rewrites
those addresses to ``/assets/...`` and serves the same files from the npm packages installed at
set-up (``maps/assets/package.json``, installed by ``make``) and from folium's own templates.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import folium

ASSETS_DIR = Path(__file__).with_name("assets")
NODE_MODULES = ASSETS_DIR / "node_modules"
FOLIUM_TEMPLATES = Path(folium.__file__).with_name("templates")
LOCAL = ASSETS_DIR / "local"  # small files folium links from its repository, kept here
PREFIX = "/assets"

_CDN = re.compile(
    r"""https?://(?:cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com|netdna\.bootstrapcdn\.com)/[^"'\s)]+"""
)

# cdnjs library name -> npm package (files live under dist/ in each)
_CDNJS: dict[str, str] = {
    "Leaflet.awesome-markers": "leaflet.awesome-markers",
    "leaflet-groupedlayercontrol": "leaflet-groupedlayercontrol",
    "leaflet-locatecontrol": "leaflet.locatecontrol",
    "leaflet-minimap": "leaflet-minimap",
    "leaflet.markercluster": "leaflet.markercluster",
}


@dataclass(frozen=True)
class Asset:
    """Where a CDN file lives on this machine: a root folder and a path inside it."""

    root: str  # "npm" or "folium"
    path: str

    @property
    def url(self) -> str:
        return f"{PREFIX}/{self.root}/{self.path}"


def resolve(url: str) -> Asset | None:
    """The local copy of a CDN address folium uses, or ``None`` when there is none.

    Examples
    --------
    >>> resolve("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js").url
    '/assets/npm/leaflet/dist/leaflet.js'
    >>> resolve("https://code.jquery.com/jquery-3.7.1.min.js").url
    '/assets/npm/jquery/dist/jquery.min.js'
    """
    host_path = re.sub(r"^https?://", "", url)
    host, _, path = host_path.partition("/")
    if host == "cdn.jsdelivr.net" and path.startswith("npm/"):
        spec = path[4:]
        if spec.startswith("@"):
            scope, rest = spec.split("/", 1)
            name_ver, _, inner = rest.partition("/")
            package = f"{scope}/{name_ver.split('@')[0]}"
        else:
            name_ver, _, inner = spec.partition("/")
            package = name_ver.split("@")[0]
        return Asset("npm", f"{package}/{inner}")
    if host == "cdn.jsdelivr.net" and path.startswith("gh/ljagis/leaflet-measure"):
        return Asset("npm", "leaflet-measure/" + path.split("/", 3)[3])
    if host == "cdn.jsdelivr.net" and path.startswith("gh/marslan390/BeautifyMarker"):
        return Asset("npm", "beautifymarker/" + path.rsplit("/", 1)[1])
    if host == "cdn.jsdelivr.net" and path.startswith("gh/python-visualization/folium"):
        return Asset("folium", path.rsplit("/", 1)[1])
    if host == "cdnjs.cloudflare.com" and path.startswith("ajax/libs/"):
        parts = path.split("/")
        library = _CDNJS.get(parts[2])
        if library is None:
            return None
        return Asset("npm", f"{library}/dist/{parts[-1]}")
    if host == "code.jquery.com":
        return Asset("npm", "jquery/dist/" + path.replace("jquery-3.7.1", "jquery"))
    if host == "netdna.bootstrapcdn.com":
        return Asset("folium", "glyphicons-stub.css")  # folium's icons use Font Awesome here
    return None


def local_file(root: str, path: str) -> Path | None:
    """The file behind ``/assets/<root>/<path>``, trying the ``.min`` and plain variants."""
    bases = {"npm": [NODE_MODULES], "folium": [FOLIUM_TEMPLATES, LOCAL]}.get(root, [])
    if ".." in Path(path).parts:
        return None
    for base in bases:
        candidate = base / path
        variants = [candidate]
        if ".min." in candidate.name:
            variants.append(candidate.with_name(candidate.name.replace(".min.", ".")))
        else:
            stem, dot, ext = candidate.name.rpartition(".")
            if dot:
                variants.append(candidate.with_name(f"{stem}.min.{ext}"))
        for v in variants:
            if v.is_file() and base.resolve() in v.resolve().parents:
                return v
    return None


def localise(html: str) -> str:
    """Rewrite every CDN address in a map page that has a local copy to its ``/assets`` URL."""

    def swap(match: re.Match[str]) -> str:
        asset = resolve(match.group(0))
        return asset.url if asset is not None else match.group(0)

    return _CDN.sub(swap, html)


def missing_assets(html: str) -> list[str]:
    """CDN addresses in ``html`` that have no local copy (to keep the server offline-complete)."""
    missing = []
    for url in sorted(set(_CDN.findall(html))):
        asset = resolve(url)
        if asset is None or (
            asset.path != "glyphicons-stub.css" and local_file(asset.root, asset.path) is None
        ):
            missing.append(url)
    return missing


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def _css_refs(css: Path) -> list[str]:
    """Relative paths of the files a style sheet refers to (fonts, images), without query strings."""
    refs = []
    for ref in _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
        ref = re.split(r"[?#]", ref.strip(), maxsplit=1)[0]
        if ref and not re.match(r"^(?:[a-z]+:|/)", ref, flags=re.IGNORECASE):
            refs.append(ref)
    return refs


def bundle(html: str, folder: str) -> tuple[str, dict[str, Path]]:
    """A map page that loads its scripts and styles from a folder beside it, and the files to copy.

    For maps opened from ``file://`` with no network (issue 20): every CDN address with a local
    copy becomes ``<folder>/<root>/<path>``, relative to the page, and the files a style sheet
    refers to (Font Awesome's fonts, Leaflet's images, with the rest of their folders) come along
    at the same relative places.

    Parameters
    ----------
    html
        The rendered page (``folium.Map.get_root().render()``).
    folder
        The folder beside the page that will hold the files (a relative path, e.g. ``tongan-assets``).

    Returns
    -------
    tuple
        The rewritten page, and a mapping from each file's path relative to the page's folder to
        the local file to copy there.
    """
    files: dict[str, Path] = {}

    def add(dest: str, source: Path) -> None:
        if dest in files or not dest.startswith(f"{folder}/"):
            return
        files[dest] = source
        if source.suffix == ".css":
            # the whole folder of each file referred to: Leaflet finds marker-shadow.png and
            # marker-icon-2x.png beside the marker-icon.png its style sheet names
            for ref in {posixpath.dirname(r) for r in _css_refs(source)}:
                folder_path = (source.parent / ref).resolve()
                for target in sorted(folder_path.glob("*")) if folder_path.is_dir() else []:
                    rel = posixpath.join(posixpath.dirname(dest), ref, target.name)
                    if target.is_file():
                        add(posixpath.normpath(rel), target)

    def swap(match: re.Match[str]) -> str:
        asset = resolve(match.group(0))
        source = local_file(asset.root, asset.path) if asset is not None else None
        if asset is None or source is None:
            return match.group(0)
        dest = f"{folder}/{asset.root}/{asset.path}"
        add(dest, source)
        return dest

    return _CDN.sub(swap, html), files
