"""The server's workspace: the study area's layers plus what was recorded and imported since.

The layer files (or the embedded sample) are the base. The workspace database
(:class:`geo.storage.Store`) holds layers imported through ``POST /api/layers/{name}``, which
replace their base layer, and inspection records, which update the equipment layer
(:func:`analysis.patrol.apply_patrol_records`). :meth:`Workspace.snapshot` returns the merged,
validated layers for the current database revision.

Writes are checked where they enter, by the import rules (:mod:`geo.record_checks`,
:mod:`geo.validate`): a record that breaks one is refused (422) and nothing is stored. What is in
the store anyway (older records, a rule that changed) is quarantined, not fatal: the layers are
built from the valid records and :attr:`Snapshot.quarantine` lists the others with the fix
(issue 16). New inspections are applied incrementally: the writer applies its record (and any
other committed since) to the current snapshot's equipment layer; only a layer import or a
correction/withdrawal of a stored record rebuilds everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo.errors import InputError, LayerError
from geo.i18n import tr
from geo.layers import Layers
from geo.record_checks import ITEM_COLUMNS, RecordProblem, check_records
from geo.schemas import all_schemas
from geo.settings import Language, Settings
from geo.storage import AuditEntry, Inspection, InspectionIn, Store, fence_input, patrol_input
from geo.validate import StudyArea
from geo.visit_records import HouseholdFile, Visit, VisitIn

if TYPE_CHECKING:
    from geo.network import RoadNetwork


def require_layer(name: str) -> None:
    """Raise :class:`InputError` (404) unless ``name`` is a built-in layer or one an analysis
    declared (:func:`geo.schemas.register_layer`; the registry's analyses are loaded first)."""
    from analysis.registry import analyses

    analyses()
    known = all_schemas()
    if name not in known:
        msg = f"unknown layer {name!r}; expected one of {', '.join(known)}"
        raise InputError(msg, status=404)


@dataclass(frozen=True)
class LayerQuarantine:
    """An imported layer version that fails validation; the base layer is used instead."""

    layer: str
    version: int
    problems: tuple[str, ...]

    def message(self, lang: Language = "zh") -> str:
        return tr(
            "quarantined_layer",
            lang,
            layer=self.layer,
            version=self.version,
            problems="; ".join(self.problems),
        )


class NetworkCache:
    """The road network of a snapshot's metric roads, built on first use, once per roads version.

    Snapshots that share their roads (an inspection changes only the equipment) share this
    object, so the network is built once per version of the roads layer, whichever page asks
    first, and concurrent first requests build it once. ``builds`` and ``hits`` count what it
    did (for tests and benchmarks).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[str, RoadNetwork] | None = None
        self.builds = 0
        self.hits = 0

    def get(self, version: str, roads: gpd.GeoDataFrame) -> RoadNetwork:
        """The network of ``roads`` (metric CRS), whose layer version is ``version``.

        Raises
        ------
        geo.errors.NetworkError
            The roads hold no usable line (:func:`geo.network.build_network`); not cached, so
            the next request raises it again.
        """
        from geo.network import build_network

        with self._lock:
            if self._built is not None and self._built[0] == version:
                self.hits += 1
                return self._built[1]
            network = build_network(roads)
            self._built = (version, network)
            self.builds += 1
            return network


@dataclass(frozen=True)
class Snapshot:
    """The layers at one database revision: WGS84, projected, and their cache versions.

    ``checked`` are the validated layers before any inspection is applied (what records are
    checked against), ``layer_counters`` count the changes of each layer (a layer's cache key,
    :meth:`layer_version`), ``quarantine`` lists the stored records and imports left out.
    """

    layers: Layers
    metric: Layers
    version: str
    revision: int = 0
    checked: Layers | None = None
    study: StudyArea | None = None
    last_id: int = 0
    edits: int = 0
    imports: dict[str, int] = field(default_factory=dict)
    layer_counters: dict[str, int] = field(default_factory=dict)
    quarantine: tuple[RecordProblem, ...] = ()
    quarantined_layers: tuple[LayerQuarantine, ...] = ()
    equipment_ids: frozenset[str] = frozenset()
    water_ids: frozenset[str] = frozenset()
    base: str = ""  # fingerprint of the files
    #: The households layer before the stored home visits were applied (None: no visits are
    #: stored, ``layers.households`` is it): a past month is read as it stood then.
    unvisited: gpd.GeoDataFrame | None = field(default=None, compare=False, repr=False)
    #: The road network of ``metric.roads``, shared by the snapshots with the same roads.
    networks: NetworkCache = field(default_factory=NetworkCache, compare=False, repr=False)

    def layer_version(self, name: str) -> str:
        """A cache key of one layer: it changes only when that layer's features change."""
        return f"{self.base}-{name}-{self.layer_counters.get(name, 0)}"

    def network(self) -> RoadNetwork:
        """The routable network of the metric roads, built once per roads version."""
        return self.networks.get(self.layer_version("roads"), self.metric.roads)

    def households_before_visits(self) -> gpd.GeoDataFrame:
        """The households layer as imported, before the stored home visits (WGS84)."""
        if self.unvisited is None:
            return self.layers.households
        return self.unvisited

    def warnings(self, lang: Language = "zh") -> list[str]:
        """One line for the quarantined records (ids, rule, fix) and one per quarantined import."""
        out = [q.message(lang) for q in self.quarantined_layers]
        if self.quarantine:
            records = "; ".join(
                f"#{p.inspection} {p.rule}: {p.message(lang)}" for p in self.quarantine
            )
            count = len({p.inspection for p in self.quarantine})
            out.insert(0, tr("quarantined", lang, count=count, records=records))
        return out


@dataclass(frozen=True)
class ImportReport:
    """What ``POST /api/layers/{name}`` stored."""

    layer: str
    rows: int
    version: int
    warnings: list[str]


def record_columns(
    record: InspectionIn, inspection_id: int | None = None
) -> tuple[dict[str, list[object]], dict[str, list[object]]]:
    """One record as the heads and items, lists by column, that :func:`check_records` takes."""
    heads: dict[str, list[object]] = {
        "inspection_id": [inspection_id],
        "target": [record.target],
        "target_id": [record.target_id],
        "water_id": [record.water_id],
        "date": [pd.Timestamp(record.date)],
        "fence": [record.fence],
        "lon": [record.lon],
        "lat": [record.lat],
    }
    rows = list(enumerate(record.items, start=1))
    items: dict[str, list[object]] = {
        "inspection_id": [inspection_id] * len(rows),
        "n": [n for n, _ in rows],
        "item_id": [i.id for _, i in rows],
        "kind": [i.kind for _, i in rows],
        "condition": [i.condition for _, i in rows],
        "lon": [i.lon for _, i in rows],
        "lat": [i.lat for _, i in rows],
    }
    return heads, items


def _ids(frame: gpd.GeoDataFrame) -> frozenset[str]:
    return frozenset(frame["id"].dropna().astype(str)) if len(frame) else frozenset()


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
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._polled: tuple[float, int] | None = None  # (when, revision) of the last question
        self._pending = 0  # this server's writes stored but not yet applied to the snapshot

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
        """The current layers, brought up to date when the database changed since the last call."""
        revision = self.revision()
        snap = self._snapshot
        if snap is not None and (snap.revision >= revision or self._pending):
            # up to date, or this server's writers are applying what was committed: a read
            # does not queue behind them (each writer answers only once its record is applied)
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is None or snap.revision < revision:
                snap = self._refresh(snap)
                self._snapshot = snap
            return snap

    def latest(self) -> Snapshot | None:
        """The snapshot last built, without asking the database (None before the first)."""
        return self._snapshot

    def _refresh(self, snap: Snapshot | None) -> Snapshot:
        """The snapshot at the database's current revision: incremental when only new
        inspections were stored since ``snap``, else rebuilt (call with the lock held)."""
        if self.store is None:
            return self._build_base()
        revision, edits = self.store.state()
        if snap is not None and snap.revision >= revision:
            return snap  # another writer applied it meanwhile
        imports = self.store.layer_versions()
        if snap is None or snap.edits != edits or snap.imports != imports or snap.checked is None:
            return self._build(revision, edits, imports)
        heads, items = self.store.record_frames(after=snap.last_id)
        return self._apply(snap, heads, items, revision)

    def _build_base(self) -> Snapshot:
        return Snapshot(
            self.base, self.base.to_metric(), f"{self.base_version}-r0", base=self.base_version
        )

    def _build(self, revision: int, edits: int, imports: dict[str, int]) -> Snapshot:
        """Validate the files and imports, then apply every valid stored inspection."""
        from geo.validate import validate_layers

        assert self.store is not None
        # the files' layers, the declared ones (``extra``) included, then the imports over them
        frames: dict[str, gpd.GeoDataFrame] = {**dict(self.base.items()), **self.base.extra}
        imported = self.store.read_layers()
        frames.update(imported)
        layers, report = validate_layers(frames, settings=self.settings)
        held: list[LayerQuarantine] = []
        bad = sorted({p.layer for p in report.errors} & set(imported))
        if bad:  # an import that no longer passes: the workspace falls back to the file's layer
            lang = self.settings.language
            for name in bad:
                lines = tuple(p.message(lang) for p in report.errors if p.layer == name)
                held.append(LayerQuarantine(name, imports.get(name, 0), lines))
                frames[name] = self.base[name]
            layers, report = validate_layers(frames, settings=self.settings)
        report.raise_if_fatal(self.settings.language)
        unvisited = layers.households
        layers = self._with_visits(layers)
        before = self._snapshot.layer_counters if self._snapshot is not None else {}
        counters = {name: before.get(name, -1) + 1 for name in all_schemas()}
        empty = Snapshot(
            layers,
            layers.to_metric(),
            f"{self.base_version}-r{revision}",
            revision=revision,
            checked=layers,
            study=StudyArea.of(layers.areas, self.settings),
            edits=edits,
            imports=imports,
            layer_counters=counters,
            quarantined_layers=tuple(held),
            equipment_ids=_ids(layers.equipment),
            water_ids=_ids(layers.waters),
            base=self.base_version,
            unvisited=unvisited,
        )
        heads, items = self.store.record_frames()
        return self._apply(empty, heads, items, revision)

    def _with_visits(self, layers: Layers) -> Layers:
        """The layers with the stored home visits applied to the households layer."""
        from geo.visit_records import apply_visits

        assert self.store is not None
        visits = self.store.visit_frame()
        if not len(visits):
            return layers
        return dataclasses.replace(layers, households=apply_visits(layers.households, visits))

    def _apply(
        self, snap: Snapshot, heads: pd.DataFrame, items: pd.DataFrame, revision: int
    ) -> Snapshot:
        """``snap`` with the valid ones of these new records applied to its equipment layer.

        Only the equipment layer changes, and only its new rows are validated (by the schema,
        :func:`geo.validate.validate_layer`); the other layers and their projection are kept.
        """
        version = f"{self.base_version}-r{revision}"
        if not len(heads):
            return dataclasses.replace(snap, revision=revision, version=version)
        last_id = max(int(heads["inspection_id"].max()), snap.last_id)
        problems = check_records(
            heads,
            items,
            equipment_ids=snap.equipment_ids,
            water_ids=snap.water_ids,
            study=snap.study,
            today=dt.date.today(),
        )
        held = {p.inspection for p in problems}
        if held:
            heads = heads[~heads["inspection_id"].isin(held)]
            items = items[~items["inspection_id"].isin(held)]
        changes = items["item_id"].notna() | items["lon"].notna()
        out = dataclasses.replace(
            snap,
            version=version,
            revision=revision,
            last_id=last_id,
            quarantine=snap.quarantine + tuple(problems),
        )
        if not changes.any() and not heads["fence"].notna().any():
            return out  # items found missing, no fence: nothing in the layers changes
        equipment = self._apply_equipment(snap.layers.equipment, heads, items)
        counters = dict(snap.layer_counters)
        counters["equipment"] = counters.get("equipment", 0) + 1
        return dataclasses.replace(
            out,
            layers=dataclasses.replace(snap.layers, equipment=equipment),
            metric=dataclasses.replace(snap.metric, equipment=equipment.to_crs(snap.metric.crs)),
            layer_counters=counters,
            equipment_ids=_ids(equipment),
        )

    def _apply_equipment(
        self, equipment: gpd.GeoDataFrame, heads: pd.DataFrame, items: pd.DataFrame
    ) -> gpd.GeoDataFrame:
        """The validated equipment layer with these (valid) records applied."""
        from analysis.patrol import apply_fence_records, apply_patrol_records
        from geo.validate import validate_layer

        records = patrol_input(heads, items)
        if len(records):
            # new items first, so that a later record of the same batch may name one by its id
            added = records["lon"].notna() & ~records["id"].isin(set(equipment["id"].astype(str)))
            first = added & ~records["id"].duplicated()
            if first.any():
                new = apply_patrol_records(equipment.iloc[:0], records[first])
                new, _ = validate_layer("equipment", new)
                equipment = gpd.GeoDataFrame(
                    pd.concat([equipment, new], ignore_index=True), crs=equipment.crs
                )
            if (~first).any():
                equipment = apply_patrol_records(equipment, records[~first])
        fences = fence_input(heads, items) if heads["fence"].notna().any() else ()
        if len(fences) and len(equipment):
            equipment, _ = apply_fence_records(
                equipment, fences, radius_m=self.settings.equipment_radius_m
            )
        return equipment

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
        self,
        name: str,
        data: bytes,
        filename: str,
        *,
        user: str,
        crs: str | None = None,
        audit: AuditEntry | None = None,
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
        audit
            The request's audit entry, stored in the import's transaction.

        Raises
        ------
        InputError
            Unknown layer, unreadable file (status 422), or no database (503).
        LayerError
            The layer fails validation (status 422); nothing is stored. Problems that are
            already there (a quarantined import of another layer) do not refuse it.
        """
        from geo.load import CrsIgnored, read_layer_file
        from geo.validate import validate_layers

        store = self.require_store()
        require_layer(name)
        suffix = Path(filename).suffix.lower()
        snap = self.snapshot()
        checked = snap.checked or snap.layers
        context = {"areas": checked.areas, "roads": checked.roads}  # a roster is placed on them
        with tempfile.TemporaryDirectory() as tmp:
            # named as uploaded (without folders or odd characters): messages name the file
            stem = re.sub(r"[^\w\-]+", "_", Path(filename).stem).strip("_")[:80] or "upload"
            path = Path(tmp) / f"{stem}{suffix}"
            path.write_bytes(data)
            crs_notes: list[CrsIgnored] = []
            frame = read_layer_file(path, name, crs=crs, notes=crs_notes, context=context)
        frames = {**dict(checked.items()), **checked.extra}
        frames[name] = frame
        layers, report = validate_layers(frames, settings=self.settings)
        problems = report.for_layer(name)
        errors = [p for p in report.errors if p.layer == name] or report.errors
        if errors:
            lang = self.settings.language
            lines = [p.line(lang) for p in errors]
            msg = f"layer {name!r} from {filename!r} was not imported; nothing was changed"
            raise LayerError(msg, problems=lines)
        version = store.replace_layer(name, layers[name], user=user, audit=audit)
        self._polled = None
        warnings = [n.line(self.settings.language) for n in crs_notes]
        warnings += [p.line(self.settings.language) for p in problems if p in report.warnings]
        return ImportReport(name, len(layers[name]), version, warnings)

    def check_inspection(
        self, record: InspectionIn, lang: Language, *, snap: Snapshot | None = None
    ) -> None:
        """Raise :class:`InputError` (422) naming each field that breaks an import rule.

        The rules of :func:`geo.record_checks.check_records` (study area, references to the
        equipment and waters, dates), against the current layers.
        """
        snap = snap or self.snapshot()
        heads, items = record_columns(record)
        problems = check_records(
            heads,
            items,
            equipment_ids=snap.equipment_ids,
            water_ids=snap.water_ids,
            study=snap.study,
            today=dt.date.today(),
        )
        if problems:
            text = "; ".join(p.message(lang) for p in problems)
            raise InputError(tr("record_refused", lang, problems=text), status=422)

    def add_inspection(
        self,
        record: InspectionIn,
        *,
        user: str,
        lang: Language = "zh",
        audit: AuditEntry | None = None,
    ) -> Inspection:
        """Check an inspection against the layers, store it, and apply it to the snapshot.

        Raises
        ------
        InputError
            (422) A field breaks an import rule (:meth:`check_inspection`); (503) no database.
        """
        store = self.require_store()
        self.check_inspection(record, lang)
        with self._lock:
            self._pending += 1
        try:
            stored, revision = store.record_inspection(record, user=user, audit=audit)
            self._apply_own(record, stored, revision)
        finally:
            with self._lock:
                self._pending -= 1
        return stored

    def _apply_own(self, record: InspectionIn, stored: Inspection, revision: int) -> None:
        """Apply a record this server stored: as posted when nothing else was committed since
        the snapshot, else with everything committed meanwhile."""
        with self._lock:
            snap = self._snapshot
            if snap is not None and snap.revision == revision - 1:
                # nothing else was committed since the snapshot: apply this record as posted
                self._polled = None
                if record.fence is None and all(
                    i.id is None and i.lon is None for i in record.items
                ):
                    # items found missing only: checked on entry, nothing in the layers changes
                    self._snapshot = dataclasses.replace(
                        snap,
                        revision=revision,
                        version=f"{self.base_version}-r{revision}",
                        last_id=max(snap.last_id, stored.id),
                    )
                    return
                heads, items = record_columns(record, stored.id)
                frames = pd.DataFrame(heads), pd.DataFrame(items, columns=list(ITEM_COLUMNS))
                self._snapshot = self._apply(snap, *frames, revision)
                return
        self._catch_up(revision)

    def _catch_up(self, revision: int | None = None) -> None:
        """Apply what was committed since the snapshot, up to at least ``revision`` (this
        writer's): one writer applies every record committed meanwhile, the others find theirs
        applied and return at once."""
        self._polled = None
        with self._lock:
            snap = self._snapshot
            if snap is None or self.store is None:
                return
            if revision is not None and snap.revision >= revision:
                return
            self._snapshot = self._refresh(snap)

    def _editable(self, inspection_id: int, user: str, admin: bool) -> Inspection:
        from api.auth import AuthError

        store = self.require_store()
        found = store.inspection(inspection_id)
        if found is None:
            msg = f"no inspection with id {inspection_id}"
            raise InputError(msg, status=404)
        if not admin and found.recorded_by != user:
            msg = (
                f"inspection {inspection_id} was recorded by another user; only its author or "
                "an admin may correct or withdraw it"
            )
            raise AuthError(msg, status=403)
        return found

    def correct_inspection(
        self,
        inspection_id: int,
        changes: dict[str, object],
        *,
        user: str,
        admin: bool,
        lang: Language = "zh",
        audit: AuditEntry | None = None,
    ) -> Inspection:
        """Replace fields of a stored inspection, checked like a new one.

        Raises
        ------
        InputError
            404 unknown id; 422 the corrected record is not a valid inspection or breaks a rule.
        AuthError
            403: neither the author nor an admin.
        """
        from pydantic import ValidationError

        store = self.require_store()
        found = self._editable(inspection_id, user, admin)
        fields = set(InspectionIn.model_fields)
        merged = {**found.model_dump(include=fields), **changes}
        try:
            record = InspectionIn.model_validate(merged)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "?"
            msg = f"parameter {where}: {first['msg']}"
            raise InputError(msg, status=422) from None
        self.check_inspection(record, lang)
        stored = store.replace_inspection(inspection_id, record, audit=audit)
        if stored is None:  # withdrawn meanwhile
            msg = f"no inspection with id {inspection_id}"
            raise InputError(msg, status=404)
        self._catch_up()
        return stored

    def withdraw_inspection(
        self, inspection_id: int, *, user: str, admin: bool, audit: AuditEntry | None = None
    ) -> Inspection:
        """Delete a stored inspection; the audit entry keeps it as JSON. Raises as above."""
        store = self.require_store()
        found = self._editable(inspection_id, user, admin)
        if audit is not None:
            kept = json.dumps(found.model_dump(mode="json"), ensure_ascii=False)
            audit = dataclasses.replace(audit, detail=f"{audit.detail} withdrawn: {kept}")
        if not store.delete_inspection(inspection_id, audit=audit):
            msg = f"no inspection with id {inspection_id}"
            raise InputError(msg, status=404)
        self._catch_up()
        return found

    # --- home visits ------------------------------------------------------------------------

    def add_visit(
        self,
        record: VisitIn,
        *,
        user: str,
        villages: frozenset[str] | None,
        key: str | None = None,
        lang: Language = "zh",
        audit: AuditEntry | None = None,
    ) -> tuple[Visit, bool]:
        """Check a home visit or contact against the layers and store it, once per ``key``.

        Parameters
        ----------
        record
            The posted record.
        user
            Who records it.
        villages
            The villages whose households ``user`` sees exactly (None: every village).
        key
            The client's ``Idempotency-Key``: a record resent with it is answered with the one
            stored the first time, and stored no second time.

        Returns
        -------
        Visit, bool
            The stored record, and whether this call stored it.

        Raises
        ------
        InputError
            (422) The record breaks a rule (:func:`geo.visit_records.check_visit`); (409) the
            key is another user's; (503) no database.
        """
        from geo.visit_records import check_visit

        store = self.require_store()
        if key is not None:
            earlier = store.visit_with_key(key, user=user)
            if earlier is not None:
                return earlier, False
        snap = self.snapshot()
        problems = check_visit(
            record,
            households=snap.layers.households,
            villages=villages,
            study=snap.study,
            today=dt.date.today(),
            lang=lang,
        )
        if problems:
            raise InputError(tr("visit_refused", lang, problems="; ".join(problems)), status=422)
        with self._lock:
            self._pending += 1
        try:
            stored = store.record_visit(record, user=user, key=key, audit=audit)
            self._catch_up()
        finally:
            with self._lock:
                self._pending -= 1
        return stored

    def household_file(
        self, household_id: str, *, villages: frozenset[str] | None, lang: Language = "zh"
    ) -> HouseholdFile:
        """The file (一人一档) of a household the user sees exactly.

        Raises
        ------
        InputError
            (404) No such household in the user's villages (an unknown id and another
            village's are answered alike).
        """
        from geo.visit_records import household_file

        households = self.snapshot().layers.households
        match = households.loc[households["id"].astype(str) == household_id]
        if villages is not None:
            match = match.loc[match["village_code"].astype(str).isin(villages)]
        if not len(match):
            raise InputError(tr("file_unknown_household", lang, household=household_id), status=404)
        visits: list[Visit] = []
        if self.store is not None:
            visits = self.store.visits(households=[household_id])
        return household_file(match.iloc[0], visits)
