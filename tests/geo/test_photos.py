"""Photos are checked by content and stored without metadata (issue 19 item 5)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from geo.errors import InputError
from geo.photos import PhotoFolder, clean_photo
from geo.settings import PhotoSettings

SETTINGS = PhotoSettings()


def phone_jpeg(width: int = 3000, height: int = 2000, *, orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: maker, orientation and a GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 1.0, 2.0), 3: "E", 4: (114.0, 1.0, 2.0)})
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_a_phone_photo_is_stored_upright_scaled_and_without_its_exif() -> None:
    photo = clean_photo(phone_jpeg(), settings=SETTINGS)
    assert photo.had_location and photo.media_type == "image/jpeg"
    # orientation 6 (rotated 90°): the 3000 x 2000 landscape is stored as a 1365 x 2048 portrait
    assert (photo.width, photo.height) == (round(2000 * 2048 / 3000), 2048)
    stored = Image.open(io.BytesIO(photo.data))
    assert dict(stored.getexif()) == {} and not stored.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in photo.data
    assert stored.size == (photo.width, photo.height)


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        (b"GIF89a" + b"\0" * 100, 422, "JPEG"),  # not an image Pillow reads
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 422, "JPEG"),
        (phone_jpeg()[:2000], 422, "损坏"),  # truncated
        (b"\xff" * (2 * 1024 * 1024), 413, "1 MB"),
    ],
)
def test_what_is_not_a_photo_is_refused_by_its_content(
    data: bytes, status: int, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        clean_photo(data, settings=PhotoSettings(max_mb=1))
    assert caught.value.status == status and words in str(caught.value)


def test_a_gif_named_jpeg_and_a_pixel_bomb_are_refused() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "GIF")
    with pytest.raises(InputError, match="GIF"):
        clean_photo(buf.getvalue(), settings=SETTINGS)
    big = io.BytesIO()
    Image.new("L", (5000, 5000)).save(big, "PNG")  # small file, 25 million pixels
    with pytest.raises(InputError, match="像素"):
        clean_photo(big.getvalue(), settings=PhotoSettings(max_pixels=10_000_000))


def test_the_folder_keeps_photos_per_record_and_knows_no_other_names(tmp_path: Path) -> None:
    folder = PhotoFolder(tmp_path)
    photo = clean_photo(phone_jpeg(400, 300, orientation=1), settings=SETTINGS)
    name = folder.save("visit-records", 7, photo)
    assert folder.names("visit-records", 7) == [name]
    assert folder.names("visit-records", 8) == [] and folder.names("inspections", 7) == []
    path = folder.path("visit-records", 7, name)
    assert path is not None and path.read_bytes() == photo.data
    for bad in ("../../etc/passwd", f"../7/{name}", name.upper(), ".part"):
        assert folder.path("visit-records", 7, bad) is None
