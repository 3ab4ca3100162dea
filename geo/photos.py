"""Photos taken with a record (issue 19 item 5): checked by content, stripped, kept on disk.

A photo a river chief or a children's director takes with an inspection or a home visit is
accepted only when its bytes are a JPEG, PNG or WebP image that Pillow decodes (the file name
and the declared type are not trusted), no larger than ``photos.max_mb`` and
``photos.max_pixels``. It is stored re-encoded: turned upright by its EXIF orientation, scaled
to ``photos.long_side_px`` at most, and written without any metadata, so its EXIF (the phone's
GPS position, its make, the time) never reaches the disk or another user. The record keeps the
position the user chose to give (``lon``/``lat``), seen only by the roles that see the record.

Files go under ``<folder>/<kind>/<record id>/<sha256 prefix>.<ext>`` (:class:`PhotoFolder`);
the folder is ``photos.directory``, by default ``photos`` beside the database.

Examples
--------
>>> import io
>>> from PIL import Image
>>> buf = io.BytesIO()
>>> Image.new("RGB", (4000, 1000), "white").save(buf, "JPEG")
>>> photo = clean_photo(buf.getvalue(), settings=PhotoSettings())
>>> photo.media_type, photo.width, photo.height
('image/jpeg', 2048, 512)
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language, PhotoSettings

__all__ = ["PHOTO_KINDS", "PHOTO_NAME", "CleanPhoto", "PhotoFolder", "PhotoKind", "clean_photo"]

#: The records a photo may belong to.
PhotoKind = Literal["inspections", "visit-records"]
PHOTO_KINDS: tuple[PhotoKind, ...] = ("inspections", "visit-records")

#: Pillow format -> (media type, file suffix, save options).
_FORMATS: dict[str, tuple[str, str, dict[str, object]]] = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 85}),
    "PNG": ("image/png", "png", {"optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}
#: A stored photo's name: 16 hex digits of its SHA-256 and its suffix.
PHOTO_NAME = r"^[0-9a-f]{16}\.(jpg|png|webp)$"
_NAME = re.compile(PHOTO_NAME)


@dataclass(frozen=True)
class CleanPhoto:
    """A photo as stored: re-encoded bytes without metadata."""

    data: bytes
    media_type: str
    suffix: str
    width: int
    height: int
    had_location: bool

    @property
    def name(self) -> str:
        """File name: the first 16 hex digits of the bytes' SHA-256, and the suffix."""
        return f"{hashlib.sha256(self.data).hexdigest()[:16]}.{self.suffix}"


def clean_photo(data: bytes, *, settings: PhotoSettings, lang: Language = "zh") -> CleanPhoto:
    """Check an uploaded photo by its content and re-encode it without metadata.

    Parameters
    ----------
    data
        The uploaded bytes.
    settings
        Size and pixel limits, the longest side kept.

    Raises
    ------
    InputError
        (413) Larger than ``max_mb``; (422) not a JPEG, PNG or WebP image, or too many pixels.
    """
    limit = int(settings.max_mb * 1024 * 1024)
    if len(data) > limit:
        raise InputError(tr("photo_too_large", lang, mb=settings.max_mb), status=413)
    image = _open(data, settings, lang)
    had_location = _has_location(image)
    media_type, suffix, options = _FORMATS[str(image.format)]
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((settings.long_side_px, settings.long_side_px))
    if str(image.format) == "JPEG" and upright.mode not in {"RGB", "L"}:
        upright = upright.convert("RGB")
    out = io.BytesIO()
    upright.save(out, str(image.format), **options)  # no exif=, no pnginfo=: no metadata
    return CleanPhoto(
        out.getvalue(), media_type, suffix, upright.width, upright.height, had_location
    )


def _open(data: bytes, settings: PhotoSettings, lang: Language) -> Image.Image:
    """The decoded image, or the 422 that says what is wrong with the bytes."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in _FORMATS:
                raise InputError(tr("photo_type", lang, found=image.format), status=422)
            if image.width * image.height > settings.max_pixels:
                raise InputError(tr("photo_pixels", lang, limit=settings.max_pixels), status=422)
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(tr("photo_type", lang, found="?"), status=422) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt data
        raise InputError(tr("photo_broken", lang), status=422) from None
    return image


def _has_location(image: Image.Image) -> bool:
    """Whether the image's EXIF holds a GPS block (stripped on storing either way)."""
    gps_ifd = 0x8825
    return bool(image.getexif().get_ifd(gps_ifd))


class PhotoFolder:
    """Photos on disk, one folder per record: ``root/<kind>/<record id>/<name>``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _folder(self, kind: PhotoKind, record_id: int) -> Path:
        return self.root / kind / str(int(record_id))

    def save(self, kind: PhotoKind, record_id: int, photo: CleanPhoto) -> str:
        """Store ``photo`` with the record (atomically: written aside, then renamed)."""
        folder = self._folder(kind, record_id)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / photo.name
        part = folder / f".{photo.name}.part"
        part.write_bytes(photo.data)
        part.replace(target)
        return photo.name

    def names(self, kind: PhotoKind, record_id: int) -> list[str]:
        """The record's photos, in name order."""
        folder = self._folder(kind, record_id)
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if _NAME.fullmatch(p.name))

    def path(self, kind: PhotoKind, record_id: int, name: str) -> Path | None:
        """The file of one photo (None: no such photo; a name of another shape is none)."""
        if not _NAME.fullmatch(name):
            return None
        path = self._folder(kind, record_id) / name
        if not path.is_file():
            return None
        return path
