"""``/``: the index of questions, one card per map page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.auth import SUPERVISION_ROLES
from api.pages import PAGES
from api.templating import lang_of, render
from geo.i18n import tr

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    lang = lang_of(request)
    plan_words = {
        "title": tr("plan_page_title", lang),
        "intro": tr("plan_page_intro", lang),
        "open": tr("plan_card_open", lang),
    }
    role = request.state.principal.role
    supervise_words = {}
    if role == "admin" or role in SUPERVISION_ROLES:  # the card only for who may open it
        supervise_words = {
            code: tr(f"supervise_{code}", lang) for code in ("title", "card_intro", "card_open")
        }
    return render(
        request,
        "index.html.j2",
        pages=list(PAGES.values()),
        plan_words=plan_words,
        supervise_words=supervise_words,
    )
