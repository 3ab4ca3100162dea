"""Every policy number and tunable of Tongan, in one place.

Values come from the policy documents behind the project (see each field's description for its
source) or are documented defaults of ours. Override any of them with an environment variable
``TONGAN_<FIELD>`` (for example ``TONGAN_SNAP_LIMIT_M=500``) or by passing a ``Settings`` object to
a function; never with a literal in code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
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
        500.0, gt=0, description="Side of the hexagonal cells households are counted in (ours)."
    )
    min_households: int = Field(
        5,
        ge=1,
        description="A cell with fewer households than this is suppressed, so no household can be singled out (ours).",
    )


class RiskSettings(BaseModel):
    """Drowning-risk spots and the four-ones audit (issue 3). Fields are added with the analysis."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CoverageSettings(BaseModel):
    """Service coverage, staffing and the walking standard (issue 4)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class SitingSettings(BaseModel):
    """Siting children's homes and stations (issue 5)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class InspectionSettings(BaseModel):
    """Patrol routes and home-visit schedules (issue 6)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class FloodSettings(BaseModel):
    """Flood-season review around child institutions (issue 7)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment.

    Tests and the API override this (FastAPI ``dependency_overrides``) instead of mutating it.
    """
    return Settings()
