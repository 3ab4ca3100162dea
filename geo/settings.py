"""Every policy number and tunable of Tongan, in one place.

Values come from the policy documents behind the project (see each field's description for its
source) or are documented defaults of ours. Override any of them with an environment variable
``TONGAN_<FIELD>`` (for example ``TONGAN_SNAP_LIMIT_M=500``) or by passing a ``Settings`` object to
a function; never with a literal in code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["zh", "en"]


class Settings(BaseSettings):
    """Tongan settings with documented defaults.

    Examples
    --------
    >>> Settings(snap_limit_m=500).snap_limit_m
    500.0
    """

    model_config = SettingsConfigDict(env_prefix="TONGAN_", frozen=True, extra="forbid")

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment.

    Tests and the API override this (FastAPI ``dependency_overrides``) instead of mutating it.
    """
    return Settings()
