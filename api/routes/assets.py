"""``/assets/...``: the maps' scripts, styles and fonts, served from this machine."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from maps.offline import local_file

router = APIRouter(include_in_schema=False)


@router.get("/assets/{root}/{path:path}")
def assets(root: str, path: str) -> FileResponse:
    file = local_file(root, path)
    if file is None:
        raise StarletteHTTPException(404)
    return FileResponse(file, headers={"Cache-Control": "public, max-age=86400"})
