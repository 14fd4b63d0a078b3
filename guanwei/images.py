"""Uploaded pictures are re-encoded before they are stored: data, never code.

A file that passed `guanwei.uploads.check_upload` as a picture is decoded and
written out again by Pillow as a plain JPEG (or PNG when it has transparency),
turned upright by its EXIF orientation, with every metadata block dropped: no
EXIF (and so no GPS position), no comments, no ICC profile, no trailing bytes.
Photos (JPEG, opaque WebP) stay JPEG; PNG, GIF and transparent WebP become PNG.
Whatever the uploader hid in the file (a script in a GIF comment, an HTML page
after the image data) is not in what the server keeps. The stored name and
extension come from the re-encoded format, never from the uploader.

Decoding costs memory in proportion to the pixels, whatever the file's size: a
7 KB 1-bit PNG of 7,745 × 7,745 pixels needs ~240 MB once converted to RGB.
So the caps are set in pixels from the memory they cost (settings
GUANWEI_MAX_IMAGE_PIXELS per picture and GUANWEI_MAX_REQUEST_IMAGE_PIXELS for
all the pictures of one request), and large JPEGs are decoded at a reduced
scale (libjpeg's draft mode) when they would be shrunk anyway.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The raster formats the portal accepts, and the only two it writes.
RASTER_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
STORED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
REENCODED_TYPES = frozenset(content_type for _ext, content_type in STORED_FORMATS.values())
JPEG_QUALITY = 88


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded picture ready to be stored under a name the server chose."""

    content: ContentFile
    extension: str
    content_type: str
    width: int
    height: int


def raster_type(head: bytes) -> str | None:
    """The Content-Type of a raster picture from its first bytes, or None when it is not one."""
    for magic, content_type in RASTER_MAGIC.items():
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def pixels_of(f: IO[bytes]) -> int:
    """The picture's pixel count from its header alone (nothing is decoded)."""
    f.seek(0)
    try:
        with Image.open(f) as img:
            width, height = img.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This picture is damaged or is not really a picture."), code="file_type") from exc
    finally:
        f.seek(0)
    return width * height


def check_request_pixels(files: Iterable[IO[bytes]]) -> None:
    """Refuse a request whose pictures together would cost more memory and time than one request may use."""
    total = sum(pixels_of(f) for f in files)
    limit = settings.GUANWEI_MAX_REQUEST_IMAGE_PIXELS
    if total > limit:
        raise ValidationError(
            _(
                "These photos are too large together (%(total)s million pixels; at most %(limit)s million "
                "at a time). Please upload them in smaller groups."
            )
            % {"total": round(total / 1_000_000), "limit": round(limit / 1_000_000)},
            code="request_pixels",
        )


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)


def _for_format(img: Image.Image, fmt: str) -> Image.Image:
    """Pixels in a mode the stored format writes plainly."""
    if fmt == "JPEG":
        return img if img.mode in ("RGB", "L") else img.convert("RGB")
    if img.mode in ("1", "L", "RGB", "RGBA"):
        return img
    return img.convert("RGBA" if _has_alpha(img) else "RGB")


def reencode(f: IO[bytes], *, max_side: int | None = None) -> CleanImage:
    """Decode a checked picture and write it out again without anything but its pixels.

    Orientation is applied; EXIF, GPS, comments, ICC profiles and trailing data are dropped;
    an animated GIF keeps its first frame. A picture longer than max_side on either side is
    shrunk to it.
    """
    limit = max_side or settings.GUANWEI_PHOTO_MAX_SIDE
    f.seek(0)
    try:
        with Image.open(f) as img:
            if img.width * img.height > settings.GUANWEI_MAX_IMAGE_PIXELS:
                raise ValidationError(_("This picture is too large to process."), code="image_bomb")
            if img.format == "JPEG" and max(img.size) > limit:
                # Decode at 1/2, 1/4 or 1/8 scale: far less memory for a picture shrunk anyway.
                img.draft("RGB", (limit, limit))
            img.seek(0)
            # Photos stay JPEG; drawings and screenshots (PNG, GIF, WebP with transparency) become PNG.
            lossy = img.format == "JPEG" or (img.format == "WEBP" and not _has_alpha(img))
            fmt = "JPEG" if lossy else "PNG"
            pixels = _for_format(ImageOps.exif_transpose(img), fmt)
            if max(pixels.size) > limit:
                pixels.thumbnail((limit, limit), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if fmt == "JPEG":
                pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            else:
                pixels.save(out, format="PNG", optimize=True)
            width, height = pixels.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This picture is damaged or is not really a picture."), code="file_type") from exc
    finally:
        f.seek(0)
    extension, content_type = STORED_FORMATS[fmt]
    return CleanImage(
        content=ContentFile(out.getvalue(), name=f"photo.{extension}"),
        extension=extension,
        content_type=content_type,
        width=width,
        height=height,
    )


def thumbnail(f: IO[bytes], size: tuple[int, int]) -> ContentFile:
    """A JPEG no larger than size, from an already re-encoded picture (upright, white behind transparency)."""
    f.seek(0)
    with Image.open(f) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode not in ("RGB", "L"):
            background = Image.new("RGB", img.size, "white")
            rgba = img.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            img = background
        img.thumbnail(size)
        out = io.BytesIO()
        img.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
    f.seek(0)
    return ContentFile(out.getvalue(), name="thumb.jpg")
