"""Uploaded creative images: checked by their content, stored under a random name."""

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from ad_manager.invalid import Invalid

# What readers' browsers all show, by Pillow's name for the format: (MIME type, extension).
FORMATS = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg"),
           "GIF": ("image/gif", ".gif"), "WEBP": ("image/webp", ".webp")}


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed the checks: its bytes, size and type."""

    data: bytes
    width: int
    height: int
    mime_type: str
    extension: str

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"


def check_image(data: bytes, allowed_sizes: list[str], max_bytes: int,
                field: str = "image") -> CheckedImage:
    """Give the checked image of ``data`` or raise ``Invalid``.

    The type comes from the content (never the file name), the size must be one of
    ``allowed_sizes``, the file at most ``max_bytes``.
    """
    if not data:
        raise Invalid.on(field, _("Choose an image file."))
    if len(data) > max_bytes:
        raise Invalid.on(field, _("The file is too large (%(size)s KB): the limit is "
                                  "%(limit)s KB.", size=-(-len(data) // 1024),
                                  limit=max_bytes // 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid.on(field, _("This file is not an image we can show (PNG, JPEG, GIF "
                                  "or WebP).")) from None
    if kind not in FORMATS:
        raise Invalid.on(field, _("This file is not an image we can show (PNG, JPEG, GIF "
                                  "or WebP)."))
    size = f"{width}x{height}"
    if size not in allowed_sizes:
        raise Invalid.on(field, _("The image is %(size)s; it must be one of %(sizes)s.",
                                  size=size, sizes=", ".join(allowed_sizes)))
    mime_type, extension = FORMATS[kind]
    return CheckedImage(data, width, height, mime_type, extension)


def store_image(image: CheckedImage, folder: str) -> str:
    """Write the image under a random name in ``folder``; give the file name."""
    directory = Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_urlsafe(18) + image.extension
    (directory / name).write_bytes(image.data)
    return name


def copy_image(name: str | None, folder: str) -> str | None:
    """Store a copy of a stored image under a new random name; give it (the same name
    when the file is not there: nothing to share, nothing a delete could take)."""
    if not name or "/" in name or "\\" in name:
        return name
    source = Path(folder) / name
    if not source.is_file():
        return name
    copy = secrets.token_urlsafe(18) + source.suffix
    (Path(folder) / copy).write_bytes(source.read_bytes())
    return copy


def delete_image(name: str | None, folder: str) -> None:
    """Remove a stored image, if it is there."""
    if name and "/" not in name and "\\" not in name:
        (Path(folder) / name).unlink(missing_ok=True)
