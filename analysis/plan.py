"""The county's plan: every registered analysis run once, on one network, for one date.

A county hands its leaders and townships one plan before the flood season, not six outputs. The
plan runs each analysis of the registry (:func:`analysis.registry.analyses`) with its default
parameters on the plan's date, sharing one :class:`analysis.registry.Inputs` (so the road
network is built once), and keeps each result as the role may see it. One analysis that fails
(a layer it cannot use) leaves the others in the plan, with its reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from analysis.registry import Analysis, Inputs, analyses
from geo.errors import TonganError
from geo.i18n import Note

__all__ = ["Part", "Plan", "plan_params", "run_plan"]

#: Called with each analysis's name before it runs (a progress bar's step).
Progress = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class Part:
    """One analysis of the plan: its contract, parameters and result, or why it failed.

    Attributes
    ----------
    analysis
        The registered contract.
    params
        The parameters it ran with (defaults, on the plan's date).
    result
        The result as the plan's role may see it (:meth:`Analysis.compute`); None when failed.
    failure
        Why it failed, as a message (code and parameters), or None.
    seconds
        Time it took.
    """

    analysis: Analysis
    params: BaseModel
    result: Any = None
    failure: Note | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the analysis ran."""
        return self.failure is None


@dataclass(frozen=True, eq=False)
class Plan:
    """Every analysis of the registry on one date, in index order."""

    date: dt.date
    authorised: bool
    parts: tuple[Part, ...]
    network_seconds: float = 0.0
    seconds: Mapping[str, float] = field(default_factory=dict)

    def part(self, name: str) -> Part:
        """The part of the analysis ``name``."""
        for part in self.parts:
            if part.analysis.name == name:
                return part
        msg = f"the plan has no analysis {name!r}; it has {[p.analysis.name for p in self.parts]}"
        raise KeyError(msg)


def plan_params(analysis: Analysis, date: dt.date) -> BaseModel:
    """The analysis's default parameters, with the plan's date where it takes one."""
    fields = analysis.params.model_fields
    return analysis.params(**({"date": date} if "date" in fields else {}))


def _run_one(analysis: Analysis, inputs: Inputs, date: dt.date) -> Part:
    params = plan_params(analysis, date)
    start = time.perf_counter()
    try:
        result = analysis.compute(inputs, params)
    except TonganError as exc:
        failure = Note("plan_failed", {"reason": exc.message})
        return Part(analysis, params, failure=failure, seconds=time.perf_counter() - start)
    except Exception as exc:  # one analysis must not stop the plan; its kind is reported
        failure = Note("plan_crashed", {"kind": type(exc).__name__})
        return Part(analysis, params, failure=failure, seconds=time.perf_counter() - start)
    return Part(analysis, params, result=result, seconds=time.perf_counter() - start)


def run_plan(
    inputs: Inputs,
    *,
    names: tuple[str, ...] | None = None,
    chosen: Sequence[Analysis] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Run every registered analysis (or those ``names``) once on ``inputs``.

    Parameters
    ----------
    inputs
        The layers, settings, date (``today``) and role of the plan; its road network is built
        once, before the analyses that route, and shared by all.
    names
        The analyses to run, in index order; all registered ones by default.
    chosen
        The contracts to run instead (an analysis not registered, e.g. a county's own).
    progress
        Called with each analysis's name before it runs.

    Returns
    -------
    Plan
        One :class:`Part` per analysis, failed ones with their reason.
    """
    if chosen is None:
        chosen = [a for a in analyses().values() if names is None or a.name in names]
    start = time.perf_counter()
    if any(a.network for a in chosen):
        if progress is not None:
            progress("network")
        inputs.road_network()
    network_s = time.perf_counter() - start
    parts = []
    for analysis in chosen:
        if progress is not None:
            progress(analysis.name)
        parts.append(_run_one(analysis, inputs, inputs.today))
    return Plan(
        date=inputs.today,
        authorised=inputs.authorised,
        parts=tuple(parts),
        network_seconds=network_s,
        seconds={p.analysis.name: p.seconds for p in parts},
    )
