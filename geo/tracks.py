"""Reading GPS tracks from GPX files (issue 19): points with longitude, latitude and time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio

from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language

__all__ = ["read_gpx_track"]


def read_gpx_track(path: Path, lang: Language = "zh") -> pd.DataFrame:
    """Read a GPX file's track points.

    Parameters
    ----------
    path : pathlib.Path
        A GPX file with at least one ``<trk>`` whose points carry ``<time>``.
    lang : {"zh", "en"}
        Language of the error messages.

    Returns
    -------
    pandas.DataFrame
        ``lon``, ``lat``, ``time`` (UTC) and ``segment`` (track and segment numbers combined),
        in file order.

    Raises
    ------
    InputError
        Not a GPX file, no track points, or points without timestamps; the message names the file.
    """
    try:
        layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception as exc:  # GDAL reports unreadable files with several exception types
        raise InputError(tr("track_unreadable", lang, file=path.name, reason=exc)) from exc
    if "track_points" not in layers:
        raise InputError(tr("track_no_tracks", lang, file=path.name))
    pts = pyogrio.read_dataframe(path, layer="track_points")
    if len(pts) == 0:
        raise InputError(tr("track_no_points", lang, file=path.name))
    if "time" not in pts.columns or pts["time"].isna().any():
        raise InputError(tr("track_no_times", lang, file=path.name))
    segment = pts["track_fid"].astype("int64") * 100_000 + pts["track_seg_id"].astype("int64")
    return pd.DataFrame(
        {
            "lon": pts.geometry.x.to_numpy(),
            "lat": pts.geometry.y.to_numpy(),
            "time": pd.to_datetime(pts["time"], utc=True).reset_index(drop=True),
            "segment": segment.to_numpy(),
        }
    )
