"""Reading GPS tracks from GPX files (issue 19): points with longitude, latitude and time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio

from geo.errors import InputError

__all__ = ["read_gpx_track"]


def read_gpx_track(path: Path) -> pd.DataFrame:
    """Read a GPX file's track points.

    Parameters
    ----------
    path : pathlib.Path
        A GPX file with at least one ``<trk>`` whose points carry ``<time>``.

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
        msg = f"{path.name}: not a readable GPX file ({exc}); export the track as GPX 1.1"
        raise InputError(msg) from exc
    if "track_points" not in layers:
        msg = f"{path.name}: not a GPX file with tracks; export the track as GPX 1.1"
        raise InputError(msg)
    pts = pyogrio.read_dataframe(path, layer="track_points")
    if len(pts) == 0:
        msg = f"{path.name}: the GPX file has no track points; record a track (<trk>), not only waypoints"
        raise InputError(msg)
    if "time" not in pts.columns or pts["time"].isna().any():
        msg = f"{path.name}: track points without <time>; switch on timestamps in the GPS app and export again"
        raise InputError(msg)
    segment = pts["track_fid"].astype("int64") * 100_000 + pts["track_seg_id"].astype("int64")
    return pd.DataFrame(
        {
            "lon": pts.geometry.x.to_numpy(),
            "lat": pts.geometry.y.to_numpy(),
            "time": pd.to_datetime(pts["time"], utc=True).reset_index(drop=True),
            "segment": segment.to_numpy(),
        }
    )
