"""``/plan``: the county's plan made in the background for the signed-in user's area (issue 23).

``GET /plan`` is the form (a date); ``POST /plan`` starts the job (or finds the one already made
for the same user, date, language and layers) and leads to ``/plan/jobs/{id}``, a page whose
progress bar follows ``/plan/jobs/{id}.json``; the report, PDF, workbook and GeoPackage are then
under ``/plan/jobs/{id}/files/``. A job belongs to the user who started it: to anyone else it
does not exist (404). A user with an area gets its own households exactly, nobody else's; a role
without household access the public edition (every count rounded, no household location).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from analysis.registry import analyses
from api.auth import Principal
from api.deps import LangDep, PrincipalDep, StateDep
from api.errors import PageError
from api.login import IdentityDep, csrf_field, require_csrf
from api.plan_jobs import PlanJob, Work
from api.state import ServerState, in_villages, own_villages
from api.templating import render, words
from geo.errors import TonganError
from geo.i18n import tr
from geo.settings import Language

router = APIRouter(prefix="/plan", include_in_schema=False)

#: Steps after the analyses: the maps, the report, the PDF, the workbook.
_AFTER = ("maps", "report", "pdf", "workbook")
#: The pages' words (``plan_page_*`` in the catalogue).
_WORDS = ("title", "intro", "date", "start", "running", "files", "again")
#: The files of a plan, in the order listed, with their label's message.
_FILES = {"plan.pdf": "plan_file_pdf", "plan.html": "plan_file_html",
          "plan.xlsx": "plan_file_xlsx", "plan.gpkg": "plan_file_gpkg"}  # fmt: skip


def owner_of(principal: Principal) -> str:
    """Whose a job is: the user, the role and the area (a changed area is another owner)."""
    return f"{principal.name}|{principal.role}|{principal.area or ''}"


@router.get("", response_class=HTMLResponse)
def plan_form(
    request: Request, state: StateDep, identity: IdentityDep, lang: LangDep
) -> HTMLResponse:
    """The form: the plan's date (today by default) and a button, saying which edition."""
    principal = identity.principal
    scope = ""
    if principal.villages:
        scope = tr("plan_page_scope_own", lang)
    elif not principal.sees_households:
        scope = tr("plan_page_scope_public", lang)
    return render(
        request,
        "plan_form.html.j2",
        p=words("plan_page", _WORDS, lang),
        scope=scope,
        today=state.today().isoformat(),
        csrf=csrf_field(identity),
    )


@router.post("", response_class=RedirectResponse, status_code=303)
def start_plan(
    request: Request,
    state: StateDep,
    identity: IdentityDep,
    lang: LangDep,
    date: Annotated[dt.date | None, Form()] = None,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """Start (or find) the plan of this user, date and language; go to its progress page."""
    require_csrf(request, identity, csrf)
    principal = identity.principal
    day = date or state.today()
    snap = state.workspace.snapshot()
    total = len(analyses()) + len(_AFTER)
    job = state.plans.start(
        owner_of(principal),
        f"{day.isoformat()}|{lang}|{snap.version}",
        total,
        plan_work(state, principal, day, lang),
        lang=lang,
    )
    return RedirectResponse(f"/plan/jobs/{job.id}?lang={lang}", status_code=303)


@router.get("/jobs/{job_id}.json")
def job_status(job_id: str, state: StateDep, principal: PrincipalDep) -> JSONResponse:
    """The job's progress: steps done of all, the step running, the files once made."""
    return JSONResponse(_job(state, job_id, principal, "zh").status())


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request, job_id: str, state: StateDep, principal: PrincipalDep, lang: LangDep
) -> HTMLResponse:
    """The progress bar while the plan is made, then its files."""
    job = _job(state, job_id, principal, lang)
    status = job.status()
    error = ""
    if job.state == "failed":
        error = tr("plan_job_failed", lang, reason=job.error)
    files = [(name, tr(code, lang)) for name, code in _FILES.items() if name in job.files]
    return render(
        request,
        "plan_job.html.j2",
        p=words("plan_page", _WORDS, lang),
        job=job,
        status=status,
        error=error,
        files=files,
        step=tr("plan_page_step", lang, done=job.done, total=job.total),
        done=tr("plan_page_done", lang, seconds=status["seconds"]),
    )


@router.get("/jobs/{job_id}/files/{path:path}")
def job_file(
    job_id: str, path: str, state: StateDep, principal: PrincipalDep, lang: LangDep
) -> FileResponse:
    """A file of a finished plan (the report's map images are under ``maps/``)."""
    job = _job(state, job_id, principal, lang)
    wanted = (job.out / path).resolve()
    if job.state != "done" or not wanted.is_relative_to(job.out.resolve()) or not wanted.is_file():
        raise PageError(
            404, tr("server_page_missing", lang, path=f"/plan/jobs/{job_id}/files/{path}")
        )
    return FileResponse(wanted, filename=_download_name(wanted))


def plan_work(state: ServerState, principal: Principal, day: dt.date, lang: Language) -> Work:
    """The job of making ``principal``'s plan for ``day``: the layers as the user may see them
    (its own households exactly, or the public edition), every analysis, then the files."""

    def work(job: PlanJob) -> dict[str, Path]:
        from analysis.plan import run_plan
        from analysis.registry import Inputs
        from api.plan_report import write_plan

        snap = state.workspace.snapshot()
        own = own_villages(principal.sees_households, principal.villages)
        layers, metric = snap.layers, snap.metric
        if own is not None:
            layers, metric = in_villages(layers, own), in_villages(metric, own)
        sees = principal.sees_households or own is not None
        network = None
        with contextlib.suppress(TonganError):  # an analysis that routes says why it cannot
            network = snap.network()
        inputs = Inputs(layers, metric, state.settings, day, sees, network=network)

        def say(name: str) -> None:
            found = analyses().get(name)
            if found is None:
                job.step(tr(f"plan_stage_{name}", lang))
            else:
                job.step(found.label(lang))

        made = write_plan(run_plan(inputs, progress=say), inputs, job.out, lang=lang, progress=say)
        files = {"plan.html": made.html, "plan.xlsx": made.workbook}
        files |= {p.name: p for p in (made.pdf, made.geopackage) if p is not None}
        return files

    return work


def _job(state: ServerState, job_id: str, principal: Principal, lang: Language) -> PlanJob:
    job = state.plans.get(job_id, owner_of(principal))
    if job is None:
        raise PageError(404, tr("server_page_missing", lang, path=f"/plan/jobs/{job_id}"))
    return job


def _download_name(path: Path) -> str | None:
    """Downloads keep their name; the report and its images open in the browser."""
    if path.suffix in {".html", ".png"}:
        return None
    return path.name
