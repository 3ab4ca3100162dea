"""The server's workspace: the study area's layers plus what was recorded and imported since.

The layer files (or the embedded sample) are the base. The workspace database
(:class:`geo.storage.Store`) holds layers imported through ``POST /api/layers/{name}``, which
replace their base layer, and inspection records, which update the equipment layer
(:func:`analysis.patrol.apply_patrol_records`). :meth:`Workspace.snapshot` returns the merged,
validated layers for the current database revision, rebuilt only after a write, so the next
analysis reflects every inspection.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.errors import InputError, LayerError
from geo.layers import Layers
from geo.schemas import SCHEMAS
from geo.settings import Settings
from geo.storage import Inspection, InspectionIn, Store


def require_layer(name: str) -> None:
    """Raise :class:`InputError` (404) unless ``name`` is a layer of the schema."""
    if name not in SCHEMAS:
        msg = f"unknown layer {name!r}; expected one of {', '.join(SCHEMAS)}"
        raise InputError(msg, status=404)


@dataclass(frozen=True)
class Snapshot:
    """The layers at one database revision: WGS84, projected, and their cache version."""

    layers: Layers
    metric: Layers
    version: str


@dataclass(frozen=True)
class ImportReport:
    """What ``POST /api/layers/{name}`` stored."""

    layer: str
    rows: int
    version: int
    warnings: list[str]


class Workspace:
    """Layers of one study area, merged with the workspace database.

    Parameters
    ----------
    base
        The validated layers read from the files.
    base_version
        Fingerprint of the files (part of every cache key).
    settings
        Settings for validation.
    store
        The workspace database; ``None`` serves the files read-only.
    """

    def __init__(
        self, base: Layers, base_version: str, *, settings: Settings, store: Store | None
    ) -> None:
        self.base = base
        self.base_version = base_version
        self.settings = settings
        self.store = store
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._revision: int | None = None
        self._known: tuple[set[str], set[str]] | None = None  # equipment and water ids
        self._polled: tuple[float, int] | None = None  # (when, revision) of the last question

    @property
    def writable(self) -> bool:
        """Whether the workspace has a database to record into."""
        return self.store is not None

    def revision(self) -> int:
        """The database revision (0 without a database).

        Asked of the database at most every ``settings.database.revision_poll_s`` seconds, so a
        busy read-only load does not query it on every request; this server's own writes reset
        the clock, so they are seen at once.
        """
        if self.store is None:
            return 0
        now = time.monotonic()
        polled = self._polled
        if polled is not None and now - polled[0] < self.settings.database.revision_poll_s:
            return polled[1]
        revision = self.store.revision()
        self._polled = (now, revision)
        return revision

    def snapshot(self) -> Snapshot:
        """The current layers, rebuilt when the database changed since the last call."""
        revision = self.revision()
        with self._lock:
            if self._snapshot is None or revision != self._revision:
                self._snapshot = self._build(revision)
                self._revision = revision
                self._known = None
            return self._snapshot

    def _known_ids(self) -> tuple[set[str], set[str]]:
        """Equipment and water ids an inspection may name.

        Taken from the last snapshot and extended with the items recorded since, so that a
        stream of inspections does not rebuild the layers on every write.
        """
        with self._lock:
            known = self._known
        if known is None:
            layers = (self._snapshot or self.snapshot()).layers
            equipment = set(layers.equipment["id"].astype(str)) if len(layers.equipment) else set()
            known = (equipment, set(layers.waters["id"].astype(str)))
            with self._lock:
                self._known = known
        return known

    def _frames(self) -> dict[str, gpd.GeoDataFrame]:
        frames = {name: frame for name, frame in self.base.items()}
        if self.store is not None:
            frames.update(self.store.read_layers())
        return frames

    def _build(self, revision: int) -> Snapshot:
        if self.store is None or revision == 0:
            layers = self.base
        else:
            from analysis.patrol import apply_fence_records, apply_patrol_records
            from geo.validate import validate_layers

            frames = self._frames()
            records = self.store.equipment_records()
            if len(records):
                frames["equipment"] = apply_patrol_records(frames["equipment"], records)
            fences = self.store.fence_records()
            if len(fences) and len(frames["equipment"]):
                frames["equipment"], _ = apply_fence_records(
                    frames["equipment"], fences, radius_m=self.settings.equipment_radius_m
                )
            layers, report = validate_layers(frames, settings=self.settings)
            report.raise_if_fatal(self.settings.language)
        return Snapshot(layers, layers.to_metric(), f"{self.base_version}-r{revision}")

    # --- writes ---------------------------------------------------------------------------

    def require_store(self) -> Store:
        if self.store is None:
            msg = (
                "this server has no workspace database, so it cannot record anything; "
                "start it with `tongan serve --workspace DIR`"
            )
            raise InputError(msg, status=503)
        return self.store

    def import_layer(
        self, name: str, data: bytes, filename: str, *, user: str, crs: str | None = None
    ) -> ImportReport:
        """Validate an uploaded layer file with every other layer, then store it atomically.

        Parameters
        ----------
        name
            The layer it replaces (a schema name such as ``waters``).
        data, filename
            The file's bytes and its name (its suffix says the format: ``.gpkg``,
            ``.geojson``/``.json``, ``.zip`` (Shapefile) or ``.csv``).
        user
            Who imports it (stored with the version).
        crs
            CRS of a file that states none (a CSV), as ``tongan validate --crs`` takes it.

        Raises
        ------
        InputError
            Unknown layer, unreadable file (status 422), or no database (503).
        LayerError
            The layer fails validation (status 422); nothing is stored.
        """
        from geo.load import CrsIgnored, read_layer_file
        from geo.validate import validate_layers

        store = self.require_store()
        require_layer(name)
        suffix = Path(filename).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            crs_notes: list[CrsIgnored] = []
            frame = read_layer_file(path, name, crs=crs, notes=crs_notes)
        frames = self._frames()
        frames[name] = frame
        layers, report = validate_layers(frames, settings=self.settings)
        problems = report.for_layer(name)
        errors = [p for p in report.errors if p.layer == name] or report.errors
        if errors:
            lang = self.settings.language
            lines = [p.line(lang) for p in errors]
            msg = f"layer {name!r} from {filename!r} was not imported; nothing was changed"
            raise LayerError(msg, problems=lines)
        version = store.replace_layer(name, layers[name], user=user)
        self._polled = None
        warnings = [n.line(self.settings.language) for n in crs_notes]
        warnings += [p.line(self.settings.language) for p in problems if p in report.warnings]
        return ImportReport(name, len(layers[name]), version, warnings)

    def add_inspection(self, record: InspectionIn, *, user: str) -> Inspection:
        """Check an inspection against the layers and store it.

        Raises
        ------
        InputError
            (422) The equipment or water it names does not exist, or a new item lacks its
            location; (503) no database.
        """
        store = self.require_store()
        equipment_ids, water_ids = self._known_ids()
        problems = []
        if record.target == "equipment" and record.target_id not in equipment_ids:
            problems.append(f"equipment {record.target_id!r} is not in the equipment layer")
        if record.water_id is not None and record.water_id not in water_ids:
            problems.append(f"water {record.water_id!r} is not in the waters layer")
        for n, item in enumerate(record.items, start=1):
            if item.id is not None and item.id not in equipment_ids:
                if item.lon is None or item.lat is None:
                    problems.append(
                        f"item {n}: equipment {item.id!r} is not in the equipment layer; "
                        "give lon and lat to record a newly installed item"
                    )
            elif item.id is None and item.condition != "missing" and item.lon is None:
                problems.append(
                    f"item {n}: give the equipment id, or lon and lat for a newly installed "
                    f"{item.kind}"
                )
        if problems:
            msg = "the inspection was not recorded: " + "; ".join(problems)
            raise InputError(msg, status=422)
        stored = store.add_inspection(record, user=user)
        self._polled = None
        with self._lock:
            equipment_ids.update(i.id for i in record.items if i.id is not None)
        return stored
