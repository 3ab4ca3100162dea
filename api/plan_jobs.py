"""Plans computed in the background for the map server (issue 23).

The index offers the plan for the signed-in user's area; it takes a minute on a county, so it
runs on a worker thread while the browser shows its progress. One job per user, area, date,
language and layer version: asking again while it runs, or after it finished on the same layers,
gives the same job. A job's files live in a scratch folder until newer jobs push it out.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from geo.errors import TonganError
from geo.i18n import tr
from geo.settings import Language

__all__ = ["PlanJob", "PlanJobs"]

log = logging.getLogger(__name__)

JobState = Literal["running", "done", "failed"]


@dataclass(eq=False)
class PlanJob:
    """One plan being made, or made.

    Attributes
    ----------
    id
        The job's unguessable name (its URL).
    owner
        Whose it is (a user, role and area): nobody else gets it.
    key
        What it computes (owner, date, language, layer version): a repeat gets this job.
    total, done, stage
        Steps in all, steps done, the step running (its label).
    out
        The folder its files are written to.
    state, error
        ``running``, ``done`` or ``failed`` (with the reason, for the user).
    files
        The files made, by name (``plan.html``, ``plan.pdf``, ``plan.xlsx``, ``plan.gpkg``).
    """

    id: str
    owner: str
    key: str
    total: int
    out: Path
    done: int = 0
    stage: str = ""
    state: JobState = "running"
    error: str = ""
    files: dict[str, Path] = field(default_factory=dict)
    lang: Language = "zh"
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def step(self, label: str) -> None:
        """Count one step done and name the next (a progress callback)."""
        self.done = min(self.done + 1, self.total)
        self.stage = label

    def status(self) -> dict[str, object]:
        """The job as JSON for the page's progress bar."""
        return {
            "id": self.id,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "stage": self.stage,
            "error": self.error,
            "files": sorted(self.files),
            "seconds": round(self.seconds or time.monotonic() - self.started, 1),
        }


#: The work of a job: given the job (for its folder and progress), the files it made.
Work = Callable[[PlanJob], Mapping[str, Path]]


class PlanJobs:
    """The server's plan jobs: one worker thread, the latest ``keep`` jobs kept.

    Parameters
    ----------
    keep
        How many jobs (and their folders) are kept; older finished ones are removed.
    """

    def __init__(self, keep: int = 8) -> None:
        self.keep = keep
        self._jobs: dict[str, PlanJob] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tongan-plan")
        self._root: Path | None = None  # made on the first job, removed with this object

    def start(
        self, owner: str, key: str, total: int, work: Work, *, lang: Language = "zh"
    ) -> PlanJob:
        """The job computing ``key`` for ``owner``: the one running or done, else a new one."""
        with self._lock:
            for job in self._jobs.values():
                if job.owner == owner and job.key == key and job.state != "failed":
                    return job
            name = secrets.token_urlsafe(12)
            job = PlanJob(name, owner, key, total, self._folder() / name, lang=lang)
            self._jobs[name] = job
            self._forget_old()
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str, owner: str) -> PlanJob | None:
        """The job ``job_id`` if it is ``owner``'s (None for another's: it does not exist)."""
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            return None
        return job

    def close(self) -> None:
        """Stop taking work and remove every job's files."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    def _folder(self) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="tongan-plans-"))
            weakref.finalize(self, shutil.rmtree, self._root, True)
        return self._root

    def _run(self, job: PlanJob, work: Work) -> None:
        try:
            job.files = dict(work(job))
            job.state = "done"
            job.done = job.total
        except TonganError as exc:
            job.error = str(exc)
            job.state = "failed"
        except Exception as exc:  # a bug: the server lives on, the user is told
            log.exception("plan job %s failed", job.id)
            job.error = tr("plan_crashed", job.lang, kind=type(exc).__name__)
            job.state = "failed"
        job.seconds = time.monotonic() - job.started

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state != "running"]
        excess = len(self._jobs) - self.keep
        for job in sorted(finished, key=lambda j: j.started)[: max(excess, 0)]:
            del self._jobs[job.id]
            shutil.rmtree(job.out, ignore_errors=True)
