"""Every policy number and tunable of Tongan, in one place.

Values come from the policy documents behind the project (see each field's description for its
source) or are documented defaults of ours. Override any of them with an environment variable
``TONGAN_<FIELD>`` (for example ``TONGAN_SNAP_LIMIT_M=500``) or by passing a ``Settings`` object to
a function; never with a literal in code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["zh", "en"]


Region = Literal["south", "north"]


class SeasonSettings(BaseModel):
    """Flood season and school holidays (DOMAIN.md, flood season; MM-DD strings).

    Presets per region: south (Yangtze, Pearl, Taihu basins) April-October, main season
    June-August; north (Yellow, Huai, Hai, Songhua, Liao) June-September, main season
    July-August; the critical weeks everywhere 16 July - 15 August (七下八上).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: Region = Field(
        "south", description="Region preset: south (the sample, Hubei) or north."
    )
    flood_start: dict[str, str] = Field(
        {"south": "04-01", "north": "06-01"},
        description="First day of the flood season per region.",
    )
    flood_end: dict[str, str] = Field(
        {"south": "10-31", "north": "09-30"}, description="Last day of the flood season per region."
    )
    main_start: dict[str, str] = Field(
        {"south": "06-01", "north": "07-01"}, description="First day of the main flood season."
    )
    main_end: dict[str, str] = Field(
        {"south": "08-31", "north": "08-31"}, description="Last day of the main flood season."
    )
    critical_start: str = Field("07-16", description="Critical weeks 七下八上 start (16 July).")
    critical_end: str = Field("08-15", description="Critical weeks 七下八上 end (15 August).")
    summer_holiday: tuple[str, str] = Field(
        ("07-01", "08-31"), description="Summer school holiday (typical dates; set the local ones)."
    )
    winter_holiday: tuple[str, str] = Field(
        ("01-15", "02-20"), description="Winter school holiday (typical dates; set the local ones)."
    )
    review_lead_days: int = Field(
        30, ge=0, description="The pre-season review is due this many days before the flood season."
    )
    extra_check_days: dict[str, str] = Field(
        {"children_day": "06-01", "national_day": "10-01"},
        description="Fixed-date extra checks (1 June, National Day); Spring Festival is lunar: see spring_festival.",
    )
    spring_festival: dict[int, str] = Field(
        {
            2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06",
            2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03",
        },
        description="Spring Festival (lunar new year) dates, for the holiday checks.",
    )  # fmt: skip


class PrivacySettings(BaseModel):
    """How household-level data is aggregated for views that are not authorised (DOMAIN.md, privacy)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cell_m: float = Field(
        500.0,
        gt=0,
        description="Flat-to-flat width of the hexagonal cells households are counted in (ours).",
    )
    min_households: int = Field(
        5,
        ge=1,
        description="A cell with fewer households than this is suppressed, so no household can be singled out (ours).",
    )
    min_children: int = Field(
        5,
        ge=1,
        description="A cell (or village) counting fewer children than this is suppressed for roles without household access (issue 9).",
    )
    round_base: int = Field(
        5,
        ge=1,
        description=(
            "Every count of children or households a role without household access sees is "
            "rounded to a multiple of this, after suppression, so two answers never differ by "
            "fewer than this many (issue 15; equal to min_children by default) (ours)."
        ),
    )
    standard_step_m: float = Field(
        100.0,
        gt=0,
        description=(
            "A walking standard asked for by a role without household access is rounded to a "
            "multiple of this (at least one step), so a sweep of standards cannot isolate one "
            "household between two nearby values (issue 15) (ours)."
        ),
    )


class RiskSettings(BaseModel):
    """Drowning-risk spots and the four-ones audit (issue 3; DOMAIN.md, water safety).

    The distances (equipment radius, exposure walking distance, near-water distance, incident
    radius, reach length) are top-level settings; the weights and factors of the risk model are
    here. See :func:`analysis.risk.assess_risk` for the formula.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    weight_child: float = Field(
        1.0, ge=0, description="Exposure weight of every child of a household (ours)."
    )
    weight_left_behind: float = Field(
        1.0,
        ge=0,
        description="Extra weight of each left-behind child: missing full-time care multiplies the odds (DOMAIN.md; value ours).",
    )
    weight_in_difficulty: float = Field(
        1.0,
        ge=0,
        description="Extra weight of each child in difficulty, as less supervised (DOMAIN.md; value ours).",
    )
    weight_pupil: float = Field(
        0.2,
        ge=0,
        description="Exposure weight of each pupil of a school within the walking distance; pupils are supervised in school hours (ours).",
    )
    decay_m: float = Field(
        500.0,
        gt=0,
        description="Exposure weight decays as exp(-walking distance / decay_m) (ours).",
    )
    near_water_factor: float = Field(
        3.0,
        ge=1,
        description="Homes within near_water_m straight-line of the spot's water weigh this many times more: 71.6 % of drowned rural under-fives lived within 100 m (Wang et al. 2020, DOMAIN.md; value ours).",
    )
    kind_hazard: dict[str, float] = Field(
        {
            "reservoir": 1.0, "pond": 1.0, "lake": 1.0, "river": 0.8, "stream": 0.6,
            "canal": 0.6, "ditch": 0.4,
        },
        description="Base hazard per water kind: reservoir and pond > river > canal > ditch (issue 3, after the Zhanyi grading and DOMAIN.md's ages; values ours).",
    )  # fmt: skip
    unknown_water_hazard: float = Field(
        0.8,
        ge=0,
        description="Base hazard of a known spot with no water within known_spot_water_m (ours).",
    )
    depth_factor: dict[str, float] = Field(
        {"shallow": 0.7, "medium": 1.0, "deep": 1.3, "unknown": 1.0},
        description="Hazard factor per depth class (Chengdu map lists depth; values ours).",
    )
    current_factor: dict[str, float] = Field(
        {"still": 1.0, "slow": 1.0, "fast": 1.3, "unknown": 1.0},
        description="Hazard factor per current (Chengdu map: fast current; values ours).",
    )
    bank_factor: dict[str, float] = Field(
        {"gentle": 1.0, "steep": 1.2, "narrow_embankment": 1.2, "revetted": 0.9, "unknown": 1.0},
        description="Hazard factor per bank type (Chengdu map: steep or narrow embankment; values ours).",
    )
    entry_point_step: float = Field(
        0.05,
        ge=0,
        description="Hazard rises by this share per known entry point (Chengdu map: many entry points; ours).",
    )
    entry_point_cap: int = Field(
        10, ge=0, description="Entry points beyond this many add nothing more (ours)."
    )
    use_factor: dict[str, float] = Field(
        {"swimming": 1.5, "fishing": 1.2, "washing": 1.3, "none": 1.0, "unknown": 1.0},
        description="Hazard factor per known use, the largest of a water's uses applies (Zhanyi grading: used for swimming or fishing is high risk; values ours).",
    )
    spot_kind_factor: dict[str, float] = Field(
        {
            "swimming_hole": 1.5, "dock": 1.3, "washing_step": 1.3, "fishing_spot": 1.2,
            "other": 1.1,
        },
        description="Hazard factor of a user-registered known spot per kind; the larger of it and the water's use factor applies (ours).",
    )  # fmt: skip
    known_spot_water_m: float = Field(
        100.0,
        gt=0,
        description="A known spot takes the attributes of the nearest water within this distance (ours).",
    )
    incident_factor: float = Field(
        1.5,
        ge=1,
        description="Hazard factor when a past incident lies within incident_radius_m (Zhanyi grading: had an accident; value ours).",
    )
    flood_season_factor: float = Field(
        1.2, ge=1, description="Hazard factor on a flood-season date (汛期; ours)."
    )
    summer_holiday_factor: float = Field(
        1.3,
        ge=1,
        description="Hazard factor in the summer holidays, the peak of child drowning (DOMAIN.md; value ours).",
    )
    item_mitigation: dict[str, float] = Field(
        {
            "warning_sign": 0.1, "life_buoy": 0.15, "rescue_rope": 0.1, "rescue_pole": 0.1,
            "fence": 0.25,
        },
        description="Share of the risk removed by each four-ones item in working order and by a fence; they add up (ours; at most 0.7).",
    )  # fmt: skip
    fence_guard_m: float = Field(
        20.0,
        ge=0,
        description="A fence in working order within this distance of a reach (or known spot) guards it (ours).",
    )
    known_spot_fence_m: float = Field(
        50.0,
        ge=0,
        description="Metres of fence to buy for an unfenced known spot (reaches need their own length; ours).",
    )
    risk_scale: float = Field(
        200.0,
        gt=0,
        description="Scale of hazard x exposure in risk = 100 (1 - exp(-hazard x exposure / scale)) (1 - mitigation) (ours).",
    )
    red_threshold: float = Field(
        60.0, ge=0, le=100, description="Spots with risk at or above this are red (ours)."
    )
    yellow_threshold: float = Field(
        30.0,
        ge=0,
        le=100,
        description="Spots with risk at or above this (and below red) are yellow (ours).",
    )
    network_tile_m: float = Field(
        3000.0,
        gt=0,
        description="Spots are processed in square tiles of this side, each on the road subgraph within the exposure distance (ours: memory and speed).",
    )


class CoverageSettings(BaseModel):
    """Service coverage, staffing and the walking standard (issue 4).

    The walking standard itself, the snap limit, the children's-home floor area and the
    second-director threshold are top-level settings (``walking_standard_m``, ``snap_limit_m``,
    ``min_children_home_area_m2``, ``second_director_threshold``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    covering_kinds: tuple[str, ...] = Field(
        ("children_home", "township_workstation", "other_station"),
        description=(
            "Facility kinds whose walking standard makes a household 'covered': the children's "
            "home and the walk-in protection stations (township workstation, project stations); "
            "the county institution and welfare institutions are not walk-in services (ours, "
            "after DOMAIN.md, service network)."
        ),
    )
    barrier_kinds: tuple[str, ...] = Field(
        ("river", "canal", "stream", "ditch", "pond", "reservoir", "lake"),
        description=(
            "Water kinds a household's or facility's connector to the road may not cross, so "
            "nobody is snapped across the water (ours: every water; children must not wade)."
        ),
    )
    service_area_buffer_m: float = Field(
        50.0,
        gt=0,
        description=(
            "Half-width of the band drawn around the reached roads to make a service-area "
            "polygon (ours; about the depth of a roadside house plot)."
        ),
    )
    gap_cluster_m: float = Field(
        150.0,
        gt=0,
        description=(
            "Uncovered households within twice this distance of each other form one gap area; "
            "each gap polygon is the union of circles of this radius around them (ours)."
        ),
    )
    min_gap_households: int = Field(
        5,
        ge=1,
        description=(
            "Gap areas with fewer households are kept but labelled small (and drawn only in "
            "authorised maps, as they could single out a household) (ours)."
        ),
    )


class SitingSettings(BaseModel):
    """Siting children's homes and stations (issue 5); the default standard is walking_standard_m."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weight_children: float = Field(
        1.0, ge=0, description="Demand weight of each child in a household (ours)."
    )
    weight_left_behind: float = Field(
        1.0,
        ge=0,
        description="Extra weight of each left-behind child (留守儿童), the policy's focus (ours).",
    )
    weight_in_difficulty: float = Field(
        2.0,
        ge=0,
        description="Extra weight of each child in difficulty (困境儿童), the policy's focus (ours).",
    )
    candidate_spacing_m: float = Field(
        300.0,
        gt=0,
        description="Generated candidates (road nodes in villages without a home) are thinned to this spacing (ours).",
    )
    max_candidates: int = Field(
        2_000,
        gt=0,
        description="Most generated candidates: when the spacing gives more, it is doubled until they fit, and the result reports the spacing used; a candidates layer is never thinned (ours: a county at 300 m gives about 28,000).",
    )
    exact_max_nnz: int = Field(
        2_000_000,
        ge=0,
        description="Above this many non-zeros of the preprocessed coverage matrix, MCLP is solved by greedy with a proven bound instead of HiGHS (ours).",
    )
    time_limit_s: float = Field(
        60.0, gt=0, description="Time limit of the HiGHS solver, seconds (ours)."
    )
    mip_gap: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Relative optimality gap at which HiGHS stops (ours; 0 = proven optimum).",
    )
    pmedian_limit_m: float = Field(
        10_000.0,
        gt=0,
        description="p-median: walking distances are searched up to this far; demand no new or existing site reaches within it costs this distance (ours).",
    )
    pmedian_max_pairs: int = Field(
        2_000_000,
        gt=0,
        description="p-median: most (site, household) pairs within pmedian_limit_m the model may hold; more is refused with the fix (mclp, fewer candidates, a shorter limit) (ours: memory and HiGHS time).",
    )
    lscp_share: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Set covering: share of the reachable weighted demand that must be covered (ours; 1 = all).",
    )


class InspectionSettings(BaseModel):
    """Patrol routes and home-visit schedules (issue 6).

    Contact and home-visit intervals are the top-level ``contact_interval_days`` and
    ``home_visit_interval_days``; everything else about inspections is here.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    speeds_kmh: dict[str, float] = Field(
        {"walk": 4.5, "ebike": 15.0, "car": 30.0},
        description="Travel speed per mode along rural roads, km/h (ours).",
    )
    stop_minutes_spot: float = Field(
        15.0, ge=0, description="Minutes spent checking one risk spot on a patrol (ours)."
    )
    stop_minutes_visit: float = Field(
        45.0, ge=0, description="Minutes of one home visit, checklist included (ours)."
    )
    day_start: str = Field("08:30", description="Time (HH:MM) a patrol or visit day starts (ours).")
    verify_radius_m: float = Field(
        50.0,
        gt=0,
        description="A GPS track within this many metres of a planned stop is at the stop (ours).",
    )
    verify_min_minutes: float = Field(
        3.0,
        ge=0,
        description="Minutes a track must stay within the radius for the stop to count as visited (ours).",
    )
    verify_max_gap_minutes: float = Field(
        10.0,
        gt=0,
        description="A longer gap between two track points splits the track; time in a gap is not counted (ours).",
    )
    revisit_days_flood: int = Field(
        30,
        gt=0,
        description="A spot is due for inspection after this many days in flood season (issue 6).",
    )
    revisit_days_other: int = Field(
        90,
        gt=0,
        description="A spot is due for inspection after this many days out of flood season (issue 6).",
    )
    overdue_factor: float = Field(
        1.5,
        ge=1,
        description="Priority multiplier of a spot not inspected within the revisit interval, or never (ours).",
    )
    window_factors: dict[str, float] = Field(
        {"after_school": 1.2, "weekend": 1.5, "school_holiday": 2.0},
        description=(
            "Priority multiplier of spots children use, per patrol window (when children are at the "
            "water: DOMAIN.md, summer holidays, weekends and afternoons are the peak); the largest "
            "applicable one is used (ours)."
        ),
    )
    after_school: tuple[str, str] = Field(
        ("16:00", "19:00"), description="The after-school window on school days, HH:MM (ours)."
    )
    child_use_codes: tuple[str, ...] = Field(
        ("swimming", "washing"),
        description="Known water uses that bring children to a spot (Zhanyi grading, DOMAIN.md).",
    )
    child_spot_kinds: tuple[str, ...] = Field(
        ("swimming_hole", "dock", "washing_step"),
        description="Known-spot kinds children use (ours).",
    )
    must_visit_class: str = Field(
        "red",
        description="Risk class every spot of which a multi-day plan tries to visit (issue 6).",
    )
    max_candidates: int = Field(
        300,
        gt=0,
        description="Most candidate spots (highest priority first) kept for the travel-time matrix (ours: memory).",
    )
    matrix_chunk: int = Field(
        64,
        gt=0,
        description="Sources per Dijkstra call when building the travel-time matrix (ours: memory).",
    )
    max_leg_minutes: float = Field(
        30.0,
        gt=0,
        description="Legs between two stops longer than this are not considered (ours: bounds the Dijkstra search).",
    )
    frequent_visit_days: int = Field(
        30,
        gt=0,
        description=(
            "Home-visit interval for households needing more care (monthly: Anshan asks a monthly "
            "home visit; DOMAIN.md, visits)."
        ),
    )
    frequent_guardianship: tuple[str, ...] = Field(
        ("high",),
        description="Guardianship-risk levels that call for frequent home visits (DOMAIN.md; add 'medium' per region).",
    )
    holiday_visits: bool = Field(
        False,
        description="Add one concentrated home visit in each winter and summer holiday (Baotou).",
    )
    due_soon_days: int = Field(
        7, gt=0, description="'Due this week': due within this many days from the plan date (ours)."
    )
    visit_hours: float = Field(
        6.0, gt=0, description="Hours of a children's director's visit day (ours)."
    )
    visit_mode: str = Field("walk", description="Travel mode of home visits (issue 6: walking).")


class FloodSettings(BaseModel):
    """Flood-season review around child institutions (issue 7; DOMAIN.md, flood season review)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    search_radius_m: float = Field(
        50.0,
        gt=0,
        description="Dangerous walls, buildings and landslide/slope zones this close to an institution are listed (ours).",
    )
    flood_zone_proximity_m: float = Field(
        100.0,
        ge=0,
        description="An institution this close to a flood zone counts as near it; safe points lie this far outside every zone (ours).",
    )
    water_high_m: float = Field(
        50.0, gt=0, description="Water this close to an institution makes it high hazard (ours)."
    )
    water_medium_m: float = Field(
        100.0,
        gt=0,
        description="Water this close makes it medium hazard: 71.6 % of drowned rural under-fives lived within 100 m of water (Wang et al. 2020, DOMAIN.md).",
    )
    steep_slope_deg: float = Field(
        25.0,
        gt=0,
        lt=90,
        description="Ground steeper than this (degrees, from the DEM) near an institution is flagged; 25° is the usual threshold of steep slope land in China's land surveys (ours).",
    )
    slope_radius_m: float = Field(
        100.0, gt=0, description="Radius around an institution checked for steep ground (ours)."
    )
    incident_radius_m: float = Field(
        200.0,
        gt=0,
        description="A past drowning incident this close to an institution is listed (DOMAIN.md: a past incident within 200 m raises hazard).",
    )
    escape_max_m: float = Field(
        1000.0,
        gt=0,
        description="An escape route longer than this walking distance is flagged; the 15-minute walk of GB 50180-2018 (DOMAIN.md).",
    )
    institution_kinds: tuple[str, ...] = Field(
        (
            "primary", "middle", "kindergarten", "welfare_institution", "county_institution",
            "township_workstation", "children_home", "other_station",
        ),
        description="School and facility kinds reviewed as child institutions (DOMAIN.md, flood season review).",
    )  # fmt: skip
    offices: dict[str, str] = Field(
        {
            "primary": "education_bureau", "middle": "education_bureau",
            "kindergarten": "education_bureau", "welfare_institution": "civil_affairs",
            "county_institution": "civil_affairs", "township_workstation": "civil_affairs",
            "children_home": "civil_affairs", "other_station": "civil_affairs",
        },
        description="Responsible office per institution kind: education bureau (教育局) for schools and kindergartens, civil affairs (民政) for the others (DOMAIN.md).",
    )  # fmt: skip
    check_window_days: int = Field(
        7,
        ge=0,
        description="The extra checks (Spring Festival, 1 June, National Day, holidays) are due this many days either side of the day (ours).",
    )


#: The roles of the users (what each may read and write: :data:`geo.access.ROLE_TABLE`).
Role = Literal[
    "admin",
    "civil_affairs",
    "children_director",
    "supervisor",
    "river_chief",
    "education",
    "viewer",
]


def _database_url_from_env() -> str | None:
    """``TONGAN_DATABASE_URL``, the documented short form of ``TONGAN_DATABASE__URL``."""
    import os

    return os.environ.get("TONGAN_DATABASE_URL") or None


class DatabaseSettings(BaseModel):
    """The workspace database: inspections, imported layers, users and the audit log (issue 9).

    Examples
    --------
    >>> DatabaseSettings(url=None).url is None  # the embedded SQLite file, whatever the environment
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str | None = Field(
        default_factory=_database_url_from_env,
        description=(
            "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user:pw@host/db (PostGIS). "
            "Unset: an embedded SQLite file (WAL mode) in the workspace. Read from "
            "TONGAN_DATABASE_URL (or TONGAN_DATABASE__URL)."
        ),
    )
    sqlite_name: str = Field(
        "tongan.sqlite", description="File name of the embedded database inside the workspace."
    )
    busy_timeout_ms: int = Field(
        30_000, gt=0, description="How long a SQLite writer waits for the lock before failing."
    )
    revision_poll_s: float = Field(
        1.0,
        ge=0,
        description=(
            "How often a server asks the database whether another process wrote to it (its own "
            "writes count at once); 0 asks on every request."
        ),
    )
    keep_layer_versions: int = Field(
        3,
        ge=1,
        description=(
            "An imported layer keeps the features of its last this many versions; older ones "
            "are deleted at the next import (their import records stay), so superseded "
            "household data of minors is not kept for ever (ours; data minimisation)."
        ),
    )


class ApiSettings(BaseModel):
    """The data API: access, uploads and cross-origin requests (issue 9)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    anonymous_role: Role = Field(
        "viewer",
        description="Role of a request without a token (viewer: aggregates and public layers only).",
    )
    max_upload_mb: float = Field(
        50.0, gt=0, description="Largest layer file accepted by POST /api/layers/{name}, in MB."
    )
    cors_origins: tuple[str, ...] = Field(
        (), description="Origins allowed to call the API from a browser; empty: CORS closed."
    )


class PhotoSettings(BaseModel):
    """Photos taken with an inspection or a home visit (issue 19; :mod:`geo.photos`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    directory: Path | None = Field(
        None,
        description=(
            "Folder of the stored photos; unset: `photos` beside the embedded database (in the "
            "workspace folder, also with PostgreSQL)."
        ),
    )
    max_mb: float = Field(
        10.0, gt=0, description="Largest photo accepted, in MB (a phone's JPEG is 2-6 MB; ours)."
    )
    max_pixels: int = Field(
        60_000_000,
        gt=0,
        description="Largest photo accepted, in pixels (a 50 MP phone camera fits; ours).",
    )
    long_side_px: int = Field(
        2048,
        ge=256,
        description="Photos are stored scaled to this longest side at most (ours: legible, small).",
    )
    per_record: int = Field(5, ge=1, description="Photos kept with one record at most.")


class ActivitiesSettings(BaseModel):
    """Safety education in every village (安全知识进村): at least ``min_per_year`` activity per
    village in the ``window_days`` before the date (the plans: once a year at least)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_per_year: int = Field(1, ge=1, description="Activities each village needs per year.")
    window_days: int = Field(365, gt=0, description="Days looked back from the date.")


class AccountSettings(BaseModel):
    """Signing in from the browser (issue 18): sessions, the cookie and the failed-login lockout."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    session_hours: float = Field(
        8.0,
        gt=0,
        description="A session ends this many hours after signing in (one working day; ours).",
    )
    cookie_name: str = Field(
        "tongan_session",
        pattern=r"^[A-Za-z0-9_]{1,64}$",
        description="Name of the session cookie (HttpOnly, SameSite=Lax, Secure over https).",
    )
    max_failures: int = Field(
        5,
        ge=1,
        description="After this many wrong passwords in a row a user is locked for lockout_minutes (ours, after OWASP).",
    )
    lockout_minutes: float = Field(
        15.0,
        ge=0,
        description="How long a user stays locked after max_failures wrong passwords (ours).",
    )
    failure_delay_s: float = Field(
        1.0,
        ge=0,
        description="Each wrong password or unknown user is answered after this delay, so guessing is slow (ours).",
    )
    min_password_length: int = Field(
        10, ge=8, description="Shortest password `tongan user add --password-stdin` accepts (ours)."
    )


class ProvinceSettings(BaseModel):
    """Province-scale runs on Dask (issue 10)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    border_buffer_m: float = Field(
        3_000.0,
        ge=0,
        description="Each county's partition reaches this far past its border, so spots and households near it see the neighbours' roads, water and facilities.",
    )
    workers: int | None = Field(
        None,
        ge=1,
        description=(
            "Worker processes of the local Dask cluster started when no --scheduler is given; "
            "unset: one per CPU core."
        ),
    )
    threads_per_worker: int = Field(
        1,
        ge=1,
        description="Threads per local worker; 1, as the analyses hold the GIL in Python loops.",
    )
    worker_memory_gb: float | None = Field(
        None,
        gt=0,
        description=(
            "Memory limit of each local worker in GiB (Dask pauses a worker at 80 % and restarts "
            "it at 95 %, the county task is then retried); unset: the machine's memory shared "
            "equally between the workers."
        ),
    )
    retries: int = Field(
        1,
        ge=0,
        description="How often Dask re-runs a county task that raised an unexpected error.",
    )
    allowed_worker_deaths: int = Field(
        3,
        ge=0,
        description=(
            "A county task whose worker dies is retried on another worker; after this many "
            "deaths the county is reported failed (Dask's allowed-failures, local cluster only)."
        ),
    )
    chunk_rows: int = Field(
        100_000,
        gt=0,
        description="Rows read at once from a GeoPackage layer while partitioning.",
    )
    chunk_mb: float = Field(
        128.0,
        gt=0,
        description="MiB read at once from a GeoParquet layer while partitioning (row groups are combined up to it).",
    )
    connect_timeout_s: float = Field(
        30.0, gt=0, description="How long to wait for an existing Dask scheduler (--scheduler)."
    )


class Settings(BaseSettings):
    """Tongan settings with documented defaults.

    Examples
    --------
    >>> Settings(snap_limit_m=500).snap_limit_m
    500.0
    """

    model_config = SettingsConfigDict(
        env_prefix="TONGAN_", env_nested_delimiter="__", frozen=True, extra="forbid"
    )

    language: Language = Field(
        "zh", description="Language of user-facing text: Simplified Chinese (zh) or English (en)."
    )

    basemap: Literal["osm", "blank", "tianditu"] = Field(
        "osm",
        description=(
            "Basemap shown first on every map: OpenStreetMap tiles (needs the internet), a plain "
            "offline background, or Tianditu (天地图; needs `tianditu_key`). OpenStreetMap and the "
            "plain background are always in the layer control; Amap is chosen per page "
            "(`?basemap=amap`), as its tiles need every overlay moved to GCJ-02."
        ),
    )
    tianditu_key: SecretStr | None = Field(
        None,
        description=(
            "Key of the Tianditu (天地图) tile service (free from https://console.tianditu.gov.cn). "
            "With a key, Tianditu's map, imagery and labels join every map's layer control; "
            "without one they are not offered. Never logged or shown."
        ),
    )
    tiles: Path | None = Field(
        None,
        description=(
            "An offline basemap the county supplies, served by the map server from this machine "
            "and shown first on every map page: an MBTiles or PMTiles file of raster tiles, or a "
            "GeoTIFF image in any CRS (cut into tiles on request). Make one from the county's "
            "imagery with GDAL: `gdal_translate county.tif county.mbtiles -of MBTILES` then "
            "`gdaladdo -r average county.mbtiles`. Also `tongan serve --tiles FILE`."
        ),
    )
    map_simplify_m: float = Field(
        1.0,
        ge=0,
        description=(
            "Lines and polygons the browser fetches by URL are simplified to this tolerance (m) "
            "before they are sent (ours: under a screen pixel up to zoom 17), which cuts a "
            "county's road and service-area vertices several-fold; 0 sends them as they are."
        ),
    )
    map_detail_zoom: int = Field(
        13,
        ge=0,
        le=19,
        description=(
            "On the map server, when a county's risk spots are too many to inline, they are "
            "drawn one by one from this zoom level on (a township: about 23 km across a "
            "1,400-pixel screen at zoom 13), and counted per hexagon below it (ours)."
        ),
    )
    map_inline_max_features: int = Field(
        1000,
        ge=0,
        description=(
            "On the map server, a map layer with more features than this is not written into the "
            "map's HTML: the browser fetches it as GeoJSON from the server and draws it on a "
            "canvas, so a county-scale map stays under 8 MB and draws in seconds (issue 8). "
            "Smaller layers stay inline; files written by the command line always inline all."
        ),
    )

    # --- network and snapping -------------------------------------------------------------
    snap_limit_m: float = Field(
        300.0,
        gt=0,
        description=(
            "Farthest a point may lie from the road network and still be snapped to it; farther "
            "points are reported, never silently snapped (default of ours)."
        ),
    )
    walking_speed_mps: float = Field(
        1.0, gt=0, description="Children's walking speed, m/s (about 1 m/s; GB 50180-2018 basis)."
    )
    walking_standard_m: float = Field(
        1000.0,
        gt=0,
        description=(
            "The 15-minute service circle (15分钟服务圈, Putuo) as a walking distance along roads: "
            "GB 50180-2018 puts the 15-minute walk at 800-1,000 m; default 1,000 m."
        ),
    )

    # --- validation ----------------------------------------------------------------------
    study_area_margin_m: float = Field(
        5000.0,
        ge=0,
        description=(
            "Features farther than this from the study area (the union of the areas layer) are "
            "reported as far outside it (default of ours)."
        ),
    )

    # --- water safety (DOMAIN.md, water safety; defaults of ours unless stated) ----------
    equipment_radius_m: float = Field(
        100.0,
        gt=0,
        description="Equipment counts for a risk spot within this distance along the bank.",
    )
    exposure_distance_m: float = Field(
        1000.0,
        gt=0,
        description="Children within this walking distance count towards a spot's exposure.",
    )
    near_water_m: float = Field(
        100.0,
        gt=0,
        description=(
            "Homes this close to water weigh most: 71.6 % of drowned rural under-fives lived within "
            "100 m of the water (Wang et al., BMC Public Health, 2020)."
        ),
    )
    incident_radius_m: float = Field(
        200.0, gt=0, description="A past incident within this distance raises a spot's hazard."
    )
    spot_length_m: float = Field(
        100.0,
        gt=0,
        description="Water lines and shores are cut into reaches of at most this length.",
    )

    # --- service network (DOMAIN.md, service network) -----------------------------------
    min_children_home_area_m2: float = Field(
        30.0,
        gt=0,
        description="A children's home needs at least 30 m² of safe indoor space (policy).",
    )
    second_director_threshold: int = Field(
        30,
        ge=0,
        description=(
            "A village needs a second children's director when it has more than this many "
            "left-behind plus in-difficulty children (policy)."
        ),
    )

    # --- visits (DOMAIN.md, visits) -------------------------------------------------------
    contact_interval_days: int = Field(
        30,
        gt=0,
        description="Contact every left-behind / in-difficulty child at least monthly (policy).",
    )
    home_visit_interval_days: int = Field(
        90, gt=0, description="Home visit at least every 3 months (Hubei, Putuo, Baotou)."
    )

    # --- topics, each a nested model (override e.g. TONGAN_RISK__WEIGHT_LEFT_BEHIND=3) -------
    season: SeasonSettings = Field(default_factory=SeasonSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    risk: RiskSettings = Field(default_factory=RiskSettings)
    coverage: CoverageSettings = Field(default_factory=CoverageSettings)
    siting: SitingSettings = Field(default_factory=SitingSettings)
    inspection: InspectionSettings = Field(default_factory=InspectionSettings)
    flood: FloodSettings = Field(default_factory=FloodSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    photos: PhotoSettings = Field(default_factory=PhotoSettings)
    accounts: AccountSettings = Field(default_factory=AccountSettings)
    province: ProvinceSettings = Field(default_factory=ProvinceSettings)
    activities: ActivitiesSettings = Field(default_factory=ActivitiesSettings)

    @model_validator(mode="after")
    def _tianditu_needs_a_key(self) -> Settings:
        if self.basemap == "tianditu" and not self.tianditu_key:
            msg = (
                "basemap 'tianditu' needs a Tianditu key: set TONGAN_TIANDITU_KEY (free from "
                "https://console.tianditu.gov.cn) or choose osm or blank"
            )
            raise ValueError(msg)
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment.

    Tests and the API override this (FastAPI ``dependency_overrides``) instead of mutating it.
    """
    return Settings()
