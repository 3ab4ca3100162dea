"""``/quarantine``: the stored records left out of every analysis, each with its fix."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import LangDep, SnapshotDep
from api.templating import QUARANTINE, render, words

router = APIRouter(include_in_schema=False)


@router.get("/quarantine", response_class=HTMLResponse)
def quarantine_page(request: Request, lang: LangDep, snap: SnapshotDep) -> HTMLResponse:
    """Quarantined records, each with a correct / withdraw form (the API with a token)."""
    return render(
        request,
        "quarantine.html.j2",
        q=words("quarantine", QUARANTINE, lang),
        records=[p.as_dict(lang) for p in snap.quarantine],
        layer_lines=[q.message(lang) for q in snap.quarantined_layers],
    )
