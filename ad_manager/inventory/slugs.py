"""Slugs and keys: the short names pages and embed tags use."""

import re
import unicodedata

from flask_babel import gettext as _

from ad_manager.invalid import Invalid

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Make a slug from a name: "Votre Pub ici !" → "votre-pub-ici"."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:64]


def slug(value: str, field: str = "slug", fallback: str = "") -> str:
    """Give a valid slug: ``value`` as typed, or made from ``fallback`` when blank."""
    value = (value or "").strip().lower() or slugify(fallback)
    if not SLUG.match(value) or len(value) > 64:
        raise Invalid.on(field, _("Use lower-case letters, digits and hyphens only, "
                                  "e.g. votre-pub-ici."))
    return value
