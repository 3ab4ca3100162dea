"""Who may read and write what: the role table, and the scope of a user's area (issue 18).

:data:`ROLE_TABLE` is the one table of the roles (rendered into the README's privacy section by
:func:`role_table_markdown`); :func:`scope_of` turns a user's role, area and name into a
:class:`Scope` over the layers: which villages' households are shown exactly, which waters the
user answers for, which schools are theirs. Everything outside a scope is seen as a viewer sees
it: aggregates on fixed units (the analyses' ``public`` views).

Area codes are the ``areas`` layer's codes, county > township > village (``parent_code``).

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> areas = gpd.GeoDataFrame(
...     {"code": ["C", "T1", "V1", "V2"], "level": ["county", "township", "village", "village"],
...      "parent_code": [None, "C", "T1", "T1"], "name": ["c", "t", "a", "b"]},
...     geometry=[box(0, 0, 2, 1), box(0, 0, 2, 1), box(0, 0, 1, 1), box(1, 0, 2, 1)])
>>> sorted(villages_in(areas, "T1"))
['V1', 'V2']
>>> scope = scope_of("children_director", area="V1", name="li", areas=areas)
>>> scope.sees_village("V1"), scope.sees_village("V2")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

import geopandas as gpd
import pandas as pd

from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language, Role

__all__ = [
    "ALL_LAYERS",
    "ROLES",
    "ROLE_TABLE",
    "AreaLevel",
    "HouseholdAccess",
    "PatrolAccess",
    "RoleRule",
    "Scope",
    "VisitAccess",
    "check_area",
    "role_table_markdown",
    "scope_of",
    "villages_in",
]

#: Every role, in the order of the table.
ROLES: tuple[Role, ...] = get_args(Role)

AreaLevel = Literal["county", "township", "village"]

#: How a role sees households: every one exactly, those of its area exactly (the rest as
#: aggregates), or only as aggregates on fixed units.
HouseholdAccess = Literal["all", "area", "none"]

#: Which waters a role's inspections may be of: any, the waters it answers for, none.
InspectionAccess = Literal["all", "waters", "none"]

#: Whose patrols a role may check against the plan (``POST /api/patrols/verify``): anyone's,
#: its own (a river chief: the user's name is the waters' ``river_chief``), none.
PatrolAccess = Literal["all", "own", "none"]

#: What a role does with home-visit records and children's files (一人一档) of the households
#: it sees exactly: record visits and read the files, read the files only, nothing.
VisitAccess = Literal["record", "read", "none"]

#: The layers one may import (``POST /api/layers/{name}``).
ALL_LAYERS: frozenset[str] = frozenset(
    {
        "areas", "households", "waters", "equipment", "schools", "facilities", "hazards",
        "incidents", "roads", "known_spots",
    }
)  # fmt: skip


@dataclass(frozen=True)
class RoleRule:
    """What one role may read and write.

    Attributes
    ----------
    role
        The role's name (``tongan user add --role``).
    levels
        The area levels the role's ``--area`` may have; empty: it takes no area.
    area_required
        Whether ``tongan user add`` refuses the role without an area.
    households
        How it sees households and every household-level result (pages, layer URLs, popups,
        downloads, ``/api/*``, OGC items and features): see :data:`HouseholdAccess`.
    imports
        The layers it may import; an import replaces the whole layer, so a role with an area
        imports only when its area is the whole county (or it has none).
    inspections
        Which inspections it may record: of any water, of the waters it answers for, none.
    patrols
        Whose patrols it may verify (GPS track against the plan): see :data:`PatrolAccess`.
    visits
        Home visits and household files (一人一档), of the households it sees exactly:
        see :data:`VisitAccess`.
    supervision
        Whether it opens the supervisor's page (``/supervise``: visits per village and patrol
        checks per river chief of its area, counts only).
    audit
        Whether it reads the audit log (``/api/audit``).
    """

    role: Role
    levels: tuple[AreaLevel, ...]
    area_required: bool
    households: HouseholdAccess
    imports: frozenset[str] = frozenset()
    inspections: InspectionAccess = "none"
    patrols: PatrolAccess = "none"
    visits: VisitAccess = "none"
    supervision: bool = False
    audit: bool = False
    waters_by_name: bool = False
    notes: str = field(default="", compare=False)

    @property
    def writes(self) -> bool:
        """Whether the role may write anything."""
        return bool(self.imports) or self.inspections != "none" or self.visits == "record"


#: The role table: the one statement in code of what each role may read and write.
ROLE_TABLE: Mapping[Role, RoleRule] = {
    "admin": RoleRule(
        "admin",
        (),
        False,
        "all",
        imports=ALL_LAYERS,
        inspections="all",
        patrols="all",
        visits="record",
        supervision=True,
        audit=True,
        notes="manages users on the command line; corrects or withdraws any record",
    ),
    "civil_affairs": RoleRule(
        "civil_affairs",
        ("county", "township"),
        True,
        "area",
        imports=frozenset({"households", "facilities", "schools", "areas", "incidents", "hazards"}),
        inspections="waters",
        patrols="all",
        visits="record",
        supervision=True,
        notes="民政: the county's or a township's households and children's files",
    ),
    "children_director": RoleRule(
        "children_director",
        ("village",),
        True,
        "area",
        visits="record",
        notes="儿童主任: their village's households, visit plan and coverage",
    ),
    "supervisor": RoleRule(
        "supervisor",
        ("township",),
        True,
        "area",
        patrols="all",
        visits="read",
        supervision=True,
        notes="儿童督导员: their township's households and files",
    ),
    "river_chief": RoleRule(
        "river_chief",
        ("county", "township", "village"),
        False,
        "none",
        imports=frozenset({"waters", "equipment", "known_spots", "incidents", "hazards"}),
        inspections="waters",
        patrols="own",
        waters_by_name=True,
        notes="河长: the waters whose river_chief is their name, or in their area",
    ),
    "education": RoleRule(
        "education",
        ("county", "township"),
        False,
        "none",
        imports=frozenset({"schools"}),
        notes="教育: the schools (of their area) and their flood-season review",
    ),
    "viewer": RoleRule("viewer", (), False, "none", notes="aggregates and public layers"),
}

if tuple(ROLE_TABLE) != ROLES:  # pragma: no cover - a guard for whoever adds a role
    raise RuntimeError("ROLE_TABLE must list every geo.settings.Role, in order")


# --- the areas tree ------------------------------------------------------------------------------


def _codes(values: Iterable[object]) -> list[str]:
    return [str(v) for v in values if v is not None and not pd.isna(v) and str(v) != ""]


def villages_in(areas: pd.DataFrame, code: str) -> frozenset[str]:
    """The village codes at or under the area ``code`` (``parent_code`` links, any depth).

    Parameters
    ----------
    areas
        The ``areas`` layer (``code``, ``level``, ``parent_code``).
    code
        A county, township or village code; an unknown code has no villages.
    """
    children: dict[str, list[str]] = {}
    for child, parent in zip(
        _codes(areas["code"]), areas["parent_code"].astype("string").fillna(""), strict=False
    ):
        children.setdefault(str(parent), []).append(child)
    levels = dict(zip(_codes(areas["code"]), areas["level"].astype(str), strict=False))
    found: set[str] = set()
    todo = [code] if code in levels else []
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if levels.get(current) == "village":
            found.add(current)
        todo.extend(children.get(current, []))
    return frozenset(found)


def check_area(
    areas: pd.DataFrame | None, role: Role, code: str | None, *, lang: Language = "zh"
) -> str | None:
    """``code`` when the role may have it as its area, else a clear :class:`InputError`.

    Parameters
    ----------
    areas
        The ``areas`` layer; None when no workspace is at hand (the level is then not checked).
    role
        The user's role.
    code
        The ``--area`` given, or None.

    Raises
    ------
    InputError
        The role needs an area and none is given; it takes none and one is; the code is not in
        the areas layer; its level is not one the role takes.
    """
    rule = ROLE_TABLE[role]
    levels = "、".join(tr(f"access_level_{level}", lang) for level in rule.levels)
    if code is None or not code.strip():
        if rule.area_required:
            raise InputError(tr("access_area_needed", lang, role=role, levels=levels))
        return None
    code = code.strip()
    if not rule.levels:
        raise InputError(tr("access_area_none", lang, role=role))
    if areas is None:
        return code
    rows = areas.loc[areas["code"].astype(str) == code]
    if rows.empty:
        examples = ", ".join(_codes(areas.loc[areas["level"].isin(rule.levels), "code"].head(3)))
        raise InputError(tr("access_area_unknown", lang, code=code, examples=examples or "-"))
    level = str(rows["level"].iloc[0])
    if level not in rule.levels:
        raise InputError(
            tr("access_area_level", lang, role=role, code=code, level=tr(f"access_level_{level}", lang), levels=levels)
        )  # fmt: skip
    return code


# --- scopes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one user's role and area reach in the layers.

    Attributes
    ----------
    role
        The role.
    area
        The area code (None: the whole study area).
    villages
        The villages whose households the user sees exactly; None: every village; empty: none.
    waters
        The ids of the waters the user answers for (inspections); None: every water.
    schools
        The ids of the schools of the user's area; None: every school.
    """

    role: Role
    area: str | None
    villages: frozenset[str] | None
    waters: frozenset[str] | None
    schools: frozenset[str] | None

    @property
    def rule(self) -> RoleRule:
        """The role's row of :data:`ROLE_TABLE`."""
        return ROLE_TABLE[self.role]

    @property
    def sees_all_households(self) -> bool:
        """Whether every household is shown exactly (admin, or a county-wide household role)."""
        return self.villages is None

    @property
    def sees_households(self) -> bool:
        """Whether some households are shown exactly."""
        return self.villages is None or bool(self.villages)

    @property
    def county_wide(self) -> bool:
        """Whether the scope is the whole study area (imports replace whole layers)."""
        return self.area is None or self.villages is None

    def sees_village(self, code: object) -> bool:
        """Whether the households of village ``code`` are shown exactly."""
        return self.villages is None or str(code) in self.villages

    def households(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a household-level frame (with ``village_code``) in the scope."""
        if self.villages is None:
            return frame
        return frame.loc[frame["village_code"].astype(str).isin(self.villages)]

    def may_import(self, layer: str) -> bool:
        """Whether the user may import (replace) ``layer``."""
        return layer in self.rule.imports and self.county_wide

    def may_inspect(self, water_id: object) -> bool:
        """Whether the user may record an inspection of the water ``water_id`` (None: unknown)."""
        access = self.rule.inspections
        if access == "none":
            return False
        if access == "all" or self.waters is None:
            return True
        known = water_id is not None and not pd.isna(water_id)
        return known and str(water_id) in self.waters


def scope_of(
    role: Role,
    *,
    area: str | None,
    name: str,
    areas: gpd.GeoDataFrame,
    waters: gpd.GeoDataFrame | None = None,
    schools: gpd.GeoDataFrame | None = None,
) -> Scope:
    """The scope of a user: its role's row of :data:`ROLE_TABLE` applied to its area.

    Parameters
    ----------
    role, area, name
        The user's role, area code (None: the whole study area; a user made before areas
        existed) and name (a river chief answers for the waters whose ``river_chief`` it is).
    areas
        The ``areas`` layer.
    waters, schools
        The ``waters`` and ``schools`` layers (any CRS; the areas' is used to intersect).

    Returns
    -------
    Scope
        A household role with an area sees the households of the villages under it; a river
        chief the waters named for it or crossing its area; everyone the schools of its area.
    """
    rule = ROLE_TABLE[role]
    whole = area is None or _is_root(areas, area)
    region = None if whole else villages_in(areas, str(area))
    villages: frozenset[str] | None
    if rule.households == "all" or (rule.households == "area" and region is None):
        villages = None
    elif rule.households == "area":
        villages = region
    else:
        villages = frozenset()
    return Scope(
        role=role,
        area=None if area is None else str(area),
        villages=villages,
        waters=_waters(rule, area if not whole else None, name, areas, waters),
        schools=_schools(region, area if not whole else None, areas, schools),
    )


def _is_root(areas: pd.DataFrame, code: str) -> bool:
    """Whether ``code`` is an area without a parent (the county)."""
    rows = areas.loc[areas["code"].astype(str) == str(code)]
    return bool(len(rows)) and not _codes(rows["parent_code"])


def _polygon(areas: gpd.GeoDataFrame, code: str) -> gpd.GeoSeries:
    return areas.loc[areas["code"].astype(str) == code].geometry


def _waters(
    rule: RoleRule,
    area: str | None,
    name: str,
    areas: gpd.GeoDataFrame,
    waters: gpd.GeoDataFrame | None,
) -> frozenset[str] | None:
    if rule.inspections == "all" or waters is None:
        return None
    if rule.inspections == "none":
        return frozenset()
    named = frozenset[str]()
    if rule.waters_by_name and "river_chief" in waters:
        named = frozenset(_codes(waters.loc[waters["river_chief"].astype(str) == name, "id"]))
    if area is None:
        return named if named else None
    return named | _intersecting(waters, _polygon(areas, area))


def _schools(
    region: frozenset[str] | None,
    area: str | None,
    areas: gpd.GeoDataFrame,
    schools: gpd.GeoDataFrame | None,
) -> frozenset[str] | None:
    if region is None or area is None or schools is None:
        return None
    by_code = frozenset[str]()
    if "village_code" in schools:
        by_code = frozenset(
            _codes(schools.loc[schools["village_code"].astype(str).isin(region), "id"])
        )
    return by_code | _intersecting(schools, _polygon(areas, area))


def _intersecting(frame: gpd.GeoDataFrame, polygon: gpd.GeoSeries) -> frozenset[str]:
    """Ids of the features of ``frame`` that intersect ``polygon`` (in the frame's CRS)."""
    if frame.empty or polygon.empty:
        return frozenset()
    shape = polygon.to_crs(frame.crs).union_all() if frame.crs is not None else polygon.union_all()
    return frozenset(_codes(frame.loc[frame.intersects(shape), "id"]))


# --- the table in words --------------------------------------------------------------------------

_HOUSEHOLDS = {
    "all": "every household, exact",
    "area": "exact in their area; elsewhere aggregates",
    "none": "aggregates only",
}
_INSPECTIONS = {"all": "any", "waters": "of the waters in their scope", "none": "—"}
_PATROLS = {"all": "anyone's", "own": "their own", "none": "—"}
_VISITS = {"record": "record, read files", "read": "read files", "none": "—"}
_SUPERVISION = {True: "their area", False: "—"}
_AUDIT = {True: "yes", False: "—"}


def role_table_markdown() -> str:
    """:data:`ROLE_TABLE` as the Markdown table of the README's privacy section."""
    lines = [
        "| role | area (`--area`) | households and household-level results | imports | inspections | patrol checks | home visits (in their scope) | supervisor's page | audit log | who |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in ROLE_TABLE.values():
        levels = " or ".join(rule.levels) or "—"
        if rule.levels:
            levels += " (required)" if rule.area_required else " (optional)"
        imports = ", ".join(f"`{n}`" for n in sorted(rule.imports)) or "—"
        if rule.imports == ALL_LAYERS:
            imports = "every layer"
        elif rule.imports:
            imports += " (county-wide users)"
        lines.append(
            f"| `{rule.role}` | {levels} | {_HOUSEHOLDS[rule.households]} | {imports} | "
            f"{_INSPECTIONS[rule.inspections]} | {_PATROLS[rule.patrols]} | "
            f"{_VISITS[rule.visits]} | {_SUPERVISION[rule.supervision]} | "
            f"{_AUDIT[rule.audit]} | {rule.notes} |"
        )
    return "\n".join(lines)
