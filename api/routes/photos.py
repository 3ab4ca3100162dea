"""Photos with an inspection or a home visit (issue 19 item 5).

``POST /api/{kind}/{id}/photos`` (multipart ``file``; kind ``inspections`` or ``visit-records``)
stores a photo with a record: only its author or an admin adds one, checked by content and
stored without its metadata (:func:`geo.photos.clean_photo`: the phone's GPS position in the
EXIF never reaches the disk). ``GET /api/{kind}/{id}/photos`` lists them and
``GET /api/{kind}/{id}/photos/{name}`` sends one, to the roles that see the record: a home
visit's photos to the roles that read the household's file, in their villages (a photo at a
family's door locates it); an inspection's to the roles that record inspections. A record the
user may not see is answered as an unknown one (404).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.auth import FILE_ROLES, INSPECTION_ROLES, VISIT_ROLES, AuthError, Principal
from api.deps import LangDep, PrincipalDep, SettingsDep, WorkspaceDep
from api.responses import ERROR_RESPONSES
from api.workspace import Workspace
from geo.errors import InputError
from geo.i18n import tr
from geo.photos import PHOTO_NAME, PhotoFolder, PhotoKind, clean_photo
from geo.settings import Language, Role, Settings
from geo.storage import default_workspace

router = APIRouter(prefix="/api", tags=["data API"], responses=ERROR_RESPONSES)

RecordId = Annotated[int, PathParam(ge=1, le=2**62, description="Id of the stored record.")]
PhotoName = Annotated[
    str,
    PathParam(pattern=PHOTO_NAME, description="Name from the photo list (16 hex digits, suffix)."),
]


class PhotoOut(BaseModel):
    """A stored photo of a record."""

    name: str
    url: str
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    location_removed: bool = Field(
        False, description="The upload's EXIF held a GPS position, removed before storing."
    )


def photo_folder(workspace: Workspace, settings: Settings) -> PhotoFolder:
    """The photos' folder: ``photos.directory``, else ``photos`` beside the database."""
    if settings.photos.directory is not None:
        return PhotoFolder(settings.photos.directory)
    store = workspace.require_store()
    return PhotoFolder((store.folder or default_workspace()) / "photos")


def _record_owner(
    workspace: Workspace, kind: PhotoKind, record_id: int, principal: Principal, lang: Language
) -> str:
    """The author of a record the user may see (404 otherwise, alike for unknown ones)."""
    store = workspace.require_store()
    missing = InputError(tr("photo_no_record", lang, record=record_id), status=404)
    if kind == "inspections":
        principal.require(INSPECTION_ROLES, "see inspection photos")
        inspection = store.inspection(record_id)
        if inspection is None:
            raise missing
        return inspection.recorded_by
    principal.require(FILE_ROLES, "see home-visit photos")
    visit = store.visit(record_id)
    if visit is None:
        raise missing
    villages = principal.villages
    if villages is not None:
        households = workspace.snapshot().layers.households
        mine = households.loc[households["village_code"].astype(str).isin(villages), "id"]
        if visit.household_id not in set(mine.astype(str)):
            raise missing
    return visit.recorded_by


def _url(kind: PhotoKind, record_id: int, name: str) -> str:
    return f"/api/{kind}/{record_id}/photos/{name}"


def _routes(kind: PhotoKind, writers: frozenset[Role]) -> None:
    """The three photo routes of one kind of record."""

    @router.post(
        f"/{kind}/{{record_id}}/photos",
        response_model=PhotoOut,
        status_code=201,
        summary=f"Add a photo to a stored record ({kind})",
        description="Multipart `file`: a JPEG, PNG or WebP photo; stored without its EXIF.",
    )
    def add_photo(
        request: Request,
        record_id: RecordId,
        principal: PrincipalDep,
        workspace: WorkspaceDep,
        settings: SettingsDep,
        lang: LangDep,
        file: Annotated[UploadFile, File(description="the photo (JPEG, PNG or WebP)")],
    ) -> PhotoOut:
        principal.require(writers, "add photos")
        author = _record_owner(workspace, kind, record_id, principal, lang)
        if principal.role != "admin" and author != principal.name:
            raise AuthError(tr("photo_not_author", lang), status=403)
        folder = photo_folder(workspace, settings)
        limit = settings.photos.per_record
        if len(folder.names(kind, record_id)) >= limit:
            raise InputError(tr("photo_too_many", lang, limit=limit), status=422)
        data = file.file.read(int(settings.photos.max_mb * 1024 * 1024) + 1)
        photo = clean_photo(data, settings=settings.photos, lang=lang)
        name = folder.save(kind, record_id, photo)
        return PhotoOut(
            name=name,
            url=_url(kind, record_id, name),
            media_type=photo.media_type,
            width=photo.width,
            height=photo.height,
            location_removed=photo.had_location,
        )

    @router.get(
        f"/{kind}/{{record_id}}/photos",
        response_model=list[PhotoOut],
        summary=f"The photos of a stored record ({kind})",
    )
    def list_photos(
        record_id: RecordId,
        principal: PrincipalDep,
        workspace: WorkspaceDep,
        settings: SettingsDep,
        lang: LangDep,
    ) -> list[PhotoOut]:
        _record_owner(workspace, kind, record_id, principal, lang)
        names = photo_folder(workspace, settings).names(kind, record_id)
        return [PhotoOut(name=n, url=_url(kind, record_id, n)) for n in names]

    @router.get(
        f"/{kind}/{{record_id}}/photos/{{name}}",
        response_class=FileResponse,
        summary=f"One photo of a stored record ({kind})",
        responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
    )
    def get_photo(
        record_id: RecordId,
        name: PhotoName,
        principal: PrincipalDep,
        workspace: WorkspaceDep,
        settings: SettingsDep,
        lang: LangDep,
    ) -> FileResponse:
        _record_owner(workspace, kind, record_id, principal, lang)
        path: Path | None = photo_folder(workspace, settings).path(kind, record_id, name)
        if path is None:
            raise InputError(tr("photo_unknown", lang, name=name[:40]), status=404)
        return FileResponse(path, headers={"Cache-Control": "private, no-store"})


_routes("inspections", INSPECTION_ROLES)
_routes("visit-records", VISIT_ROLES)
