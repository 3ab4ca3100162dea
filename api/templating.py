"""The HTML pages' templates, their language and the words around them (the catalogue's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from api.login import Identity, who_markup
from api.state import ServerState
from geo.i18n import tr
from geo.settings import Language

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

#: The words of every page (``t.app`` in a template is the catalogue's ``server_app``).
CHROME = (
    "html_lang",
    "app",
    "tagline",
    "switch",
    "intro",
    "open",
    "recompute",
    "busy",
    "downloads",
    "error",
    "back",
)
#: The quarantine page's words (``q.title`` is ``quarantine_title``), also used by its script.
QUARANTINE = (
    "title",
    "intro",
    "none",
    "token",
    "record",
    "changes",
    "correct",
    "withdraw",
    "corrected",
    "withdrawn",
    "refused",
    "bad_json",
)

#: The language of ``?lang=``: English when asked for, Simplified Chinese otherwise.
_LANGUAGES: dict[str, Language] = {"en": "en"}
#: The language the header's switch link leads to.
_OTHER: dict[Language, Language] = {"zh": "en", "en": "zh"}


def lang_of(request: Request) -> Language:
    """The page's language: ``?lang=en`` is English, anything else Simplified Chinese."""
    return _LANGUAGES.get(request.query_params.get("lang", ""), "zh")


def words(prefix: str, codes: tuple[str, ...], lang: Language) -> dict[str, str]:
    """The catalogue's ``{prefix}_{code}`` messages in ``lang``, by ``code``."""
    return {code: tr(f"{prefix}_{code}", lang) for code in codes}


def switch_url(request: Request, lang: Language) -> str:
    """This page in the other language."""
    query = dict(request.query_params)
    query["lang"] = _OTHER[lang]
    return f"{request.url.path}?{urlencode(query)}"


def who(request: Request, lang: Language) -> Markup:
    """Who is signed in and the area in view (the header's right side)."""
    identity: Identity | None = getattr(request.state, "identity", None)
    if identity is None:
        return Markup("")
    area = identity.principal.area
    name = ""
    if area:
        areas = ServerState.of(request.app).workspace.snapshot().layers.areas
        match = areas.loc[areas["code"].astype(str) == area, "name"]
        name = f"{match.iloc[0]} {area}" if len(match) else area
    return who_markup(identity, lang, area_name=name, path=request.url.path)


def render(request: Request, template: str, code: int = 200, **values: Any) -> HTMLResponse:
    """A page of the server: ``template`` with the language, the page's words, the link to the
    other language and the quarantine warnings of the current layers."""
    lang = lang_of(request)
    snap = ServerState.of(request.app).workspace.latest()
    warnings = snap.warnings(lang) if snap is not None else []
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": words("server", CHROME, lang),
            "switch_url": switch_url(request, lang),
            "warnings": warnings,
            "who": who(request, lang),
            **values,
        },
        status_code=code,
    )
