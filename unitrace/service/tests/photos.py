"""Pictures made on the spot for the intake tests: JPEG with GPS in EXIF, PNG, HEIC."""

from __future__ import annotations

import io

from PIL import Image
from pillow_heif import register_heif_opener

register_heif_opener()


def picture(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 60, 40))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps_ifd = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
        exif[0x8825] = gps_ifd
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(**kw) -> bytes:
    return picture("JPEG", **kw)


def png(**kw) -> bytes:
    return picture("PNG", **kw)


def heic(**kw) -> bytes:
    return picture("HEIF", **kw)
