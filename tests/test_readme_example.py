"""The README's Python example runs as written on the sample township (issue 17).

The lines are read from the README (between the ``readme-example`` markers), so the example and
this test cannot drift apart; they run in a scratch folder that sees the committed sample.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(
    r"<!-- readme-example:start -->\s*```python\n(?P<code>.*?)```\s*<!-- readme-example:end -->",
    re.S,
)


def readme_example() -> str:
    found = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) == 1, "the README holds one marked Python example"
    return str(found[0])


def test_the_example_is_five_lines_load_validate_assess_map() -> None:
    lines = [line for line in readme_example().splitlines() if line.strip()]
    assert len(lines) == 5
    assert "read_layers" in lines[1]
    assert "validate_layers" in lines[2]
    assert "assess_coverage" in lines[3]
    assert "coverage_map" in lines[4]


def test_the_readme_example_runs_on_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sample_layers").symlink_to(ROOT / "sample_layers")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(readme_example(), "README.md", "exec"), namespace)

    report = namespace["report"]
    assert report.ok
    coverage = namespace["coverage"]
    # the figures of the README's coverage section, with the default settings
    assert (coverage.children, coverage.children_covered) == (4858, 2019)
    html = (tmp_path / "coverage.html").read_text(encoding="utf-8")
    assert "leaflet" in html.lower()
    # the map is the public view: no household's coordinates are written into it
    numbers = re.findall(r"-?\d+\.\d+", html)
    pairs = set(itertools.pairwise(numbers))
    homes = namespace["layers"].households.to_crs("EPSG:4326")
    xy = [(repr(x), repr(y)) for x, y in zip(homes.geometry.x, homes.geometry.y, strict=True)]
    assert len(xy) > 1000
    assert [p for p in xy if p in pairs or p[::-1] in pairs] == []
