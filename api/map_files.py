"""Writing a map the command line made as a page that works from ``file://`` with no network.

folium's pages load Leaflet and its plugins from CDNs, which a township office on the
government intranet cannot reach (issue 20). The page is written with those files copied into
``tongan-assets/`` beside it (:func:`maps.offline.bundle`), so a folder of maps can be copied
to a USB stick and opened anywhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import folium

from maps.offline import bundle

#: The folder beside the pages that holds their scripts, styles, fonts and images.
ASSET_FOLDER = "tongan-assets"


def save_map(m: folium.Map, path: Path) -> Path:
    """Write ``m`` to ``path`` with its assets copied beside it; returns ``path``.

    Files already there with the same size are not copied again, so the maps of one output
    folder share one copy.
    """
    html, files = bundle(m.get_root().render(), ASSET_FOLDER)
    for rel, source in files.items():
        dest = path.parent / rel
        if dest.is_file() and dest.stat().st_size == source.stat().st_size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    path.write_text(html, encoding="utf-8")
    return path
