"""A short summary of each layer: counts and headline totals, for reports and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from geo.crs import metric_crs_for
from geo.i18n import tr, value_label
from geo.layers import Layers
from geo.schemas import SCHEMAS
from geo.settings import Language


@dataclass(frozen=True)
class LayerSummary:
    """One line of the layer summary."""

    layer: str
    title: str
    features: int
    geometry: str
    details: str
    present: bool


def _kinds(frame_kind: object, lang: Language) -> str:
    counts = frame_kind.value_counts()  # type: ignore[attr-defined]
    return tr(
        "sum_kinds",
        lang,
        kinds=", ".join(f"{value_label(str(k), lang)} {v}" for k, v in counts.items()),
    )


def summarise(
    layers: Layers, *, present: tuple[str, ...] | None = None, lang: Language = "zh"
) -> list[LayerSummary]:
    """Summarise every layer: feature count, geometry types and the totals that matter for it.

    Only aggregates are reported: no household can be singled out from the summary.
    """
    present = present if present is not None else tuple(n for n, f in layers.items() if len(f))
    out: list[LayerSummary] = []
    for name, frame in layers.items():
        schema = SCHEMAS[name]
        title = tr("layer_title", lang, layer_zh=schema.zh, layer_en=name)
        if name not in present:
            out.append(LayerSummary(name, title, 0, "", tr("absent", lang), False))
            continue
        geometry = ", ".join(sorted(set(frame.geometry.geom_type.dropna())))
        details = ""
        if name == "areas":
            levels = frame["level"].value_counts()
            details = tr(
                "sum_areas",
                lang,
                **{k: int(levels.get(k, 0)) for k in ("county", "township", "village")},
            )
        elif name == "households":
            details = tr(
                "sum_households",
                lang,
                children=int(frame["children"].sum()),
                left_behind=int(frame["left_behind"].sum()),
                in_difficulty=int(frame["in_difficulty"].sum()),
            )
        elif name == "roads":
            # The roads' own UTM zone: the summary must not need areas or households.
            km = frame.to_crs(metric_crs_for(frame)).length.sum() / 1000 if len(frame) else 0.0
            details = tr("sum_roads", lang, km=km)
        elif name == "equipment":
            cond = frame["condition"].value_counts()
            details = (
                _kinds(frame["kind"], lang)
                + "; "
                + tr(
                    "sum_equipment",
                    lang,
                    **{k: int(cond.get(k, 0)) for k in ("ok", "damaged", "missing")},
                )
            )
        elif name == "schools":
            details = (
                _kinds(frame["kind"], lang)
                + "; "
                + tr("sum_schools", lang, pupils=int(frame["pupils"].sum()))
            )
        elif "kind" in frame.columns and len(frame):
            details = _kinds(frame["kind"], lang)
        out.append(LayerSummary(name, title, len(frame), geometry, details, True))
    return out
