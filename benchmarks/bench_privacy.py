"""Gap areas of the sample as each role gets them (issue 15): how many shapes and vertices, and
how many vertices fall within 0.3 m / 25 m of a household.

Run: ``.venv/bin/python benchmarks/bench_privacy.py`` from the repository root.
"""

from __future__ import annotations

import time

from scipy.spatial import cKDTree

from analysis.coverage import assess_coverage
from geo.load import read_layers
from geo.settings import get_settings
from geo.validate import validate_layers
from sample_layers.generate import SAMPLE_PATH


def main() -> None:
    settings = get_settings()
    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=settings)
    metric = layers.to_metric()
    tree = cKDTree(metric.households.get_coordinates().to_numpy())
    for standard in (1000.0, 1500.0):
        detailed = assess_coverage(metric, settings=settings, standard_m=standard)
        start = time.perf_counter()
        public = detailed.public(settings)
        took = time.perf_counter() - start
        for name, gaps in (("authorised", detailed.gaps), ("public", public.gaps)):
            xy = gaps.get_coordinates().to_numpy()
            d, _ = tree.query(xy)
            print(
                f"standard {standard:,.0f} m, {name}: {len(gaps)} gaps, {len(xy):,} vertices, "
                f"{int((d < 0.3).sum())} within 0.3 m and {int((d < 25).sum())} within 25 m of a "
                "household"
            )
        print(
            f"  public view in {took:.2f} s; children {public.children:,} (exact {detailed.children:,})"
        )


if __name__ == "__main__":
    main()
