"""Creatives: image, HTML and text ads of a campaign, with their sizes and click URL."""

from flask_babel import gettext as _

from ad_manager import saving
from ad_manager.invalid import Invalid
from ad_manager.inventory import addresses, images, sizes
from ad_manager.models import Campaign, Creative

KINDS = ("image", "html", "text")
HTML_MAX = 50_000


def allowed_sizes(campaign: Campaign) -> list[str]:
    """Give the sizes a creative may have: those of the booked zones, else the IAB list."""
    booked: list[str] = []
    for zone in campaign.zones:
        if zone.archived_at is None:
            booked.extend(s for s in zone.sizes if s not in booked)
    return booked or list(sizes.IAB_SIZES)


def uncovered_sizes(campaign: Campaign) -> list[str]:
    """Give the booked zones' sizes no active creative of the campaign can fill.

    A text creative fits any zone, so with one active there are none.
    """
    active = [c for c in campaign.creatives if c.active and c.archived_at is None]
    if any(c.kind == "text" for c in active):
        return []
    covered = {c.size for c in active}
    booked = allowed_sizes(campaign) if campaign.zones else []
    return [size for size in booked if size not in covered]


def creative_values(kind: str, data: dict, campaign: Campaign, *, upload: bytes | None = None,
                    upload_folder: str = "", max_bytes: int = 0,
                    creative: Creative | None = None) -> dict:
    """Check a creative form's values; give the model's fields or raise ``Invalid``.

    ``data``: name, alt_text, click_url, weight, active, and by kind: size and html
    (HTML), headline and body (text). An image comes as ``upload`` (bytes), stored in
    ``upload_folder`` once everything else is valid; editing may keep the old file.
    """
    if kind not in KINDS:
        raise Invalid.on("kind", _("Unknown kind of creative."))
    errors: dict[str, str] = {}
    values: dict = {"kind": kind, "campaign_id": campaign.id,
                    "name": (data.get("name") or "").strip(),
                    "alt_text": (data.get("alt_text") or "").strip(),
                    "weight": data.get("weight"), "active": bool(data.get("active"))}
    try:
        values["click_url"] = addresses.web_url(data.get("click_url", ""), "click_url")
    except Invalid as error:
        errors.update(error.errors)
    if values["weight"] is None or values["weight"] < 0:
        errors["weight"] = _("The weight must be 0 or more.")
    checked = None
    if kind == "image":
        if not values["alt_text"]:
            errors["alt_text"] = _("Describe the image for readers who cannot see it.")
        if upload or creative is None or not creative.image_file:
            try:
                checked = images.check_image(upload or b"", allowed_sizes(campaign), max_bytes)
                values.update(width=checked.width, height=checked.height,
                              image_type=checked.mime_type)
            except Invalid as error:
                errors.update(error.errors)
    elif kind == "html":
        values["html"] = (data.get("html") or "").strip()
        if not values["html"]:
            errors["html"] = _("Paste the HTML of the ad.")
        elif len(values["html"]) > HTML_MAX:
            errors["html"] = _("The HTML is too long.")
        try:
            size = sizes.normal_size(data.get("size", ""), "size")
            if size not in allowed_sizes(campaign):
                raise Invalid.on("size", _("The size must be one of %(sizes)s.",
                                           sizes=", ".join(allowed_sizes(campaign))))
            values["width"], values["height"] = sizes.parse_size(size)
        except Invalid as error:
            errors.update(error.errors)
    else:
        values["headline"] = (data.get("headline") or "").strip()
        values["body"] = (data.get("body") or "").strip()
        if not values["headline"]:
            errors["headline"] = _("Give the ad a headline.")
        values.update(width=None, height=None)
    if errors:
        raise Invalid(errors)
    if checked is not None:  # a replaced file stays: pages already served may show it
        values["image_file"] = images.store_image(checked, upload_folder)
    return values


# What a copy of a creative keeps (the image file gets its own copy).
COPIED_FIELDS = ("name", "kind", "width", "height", "image_type", "html", "headline", "body",
                 "alt_text", "click_url", "weight", "active")


def copy_creative(creative: Creative, campaign: Campaign, upload_folder: str) -> Creative:
    """Add a copy of ``creative`` to ``campaign``; an image gets a file of its own, so
    removing either creative never takes the other's picture."""
    copy = Creative(**{field: getattr(creative, field) for field in COPIED_FIELDS})
    copy.image_file = images.copy_image(creative.image_file, upload_folder)
    copy.campaign = campaign
    return saving.add(copy, summary=summary(copy))


def delete_creative(creative: Creative, upload_folder: str = "") -> None:
    """Delete a creative that never delivered, with its stored image."""
    saving.delete(creative, summary=summary(creative))
    if upload_folder:
        images.delete_image(creative.image_file, upload_folder)


def summary(creative: Creative) -> str:
    """Name a creative in the audit log: its campaign, then its kind."""
    return f"{creative.campaign.name}: {creative.kind}"


def create_creative(campaign: Campaign, kind: str, data: dict, **upload) -> Creative:
    """Add a creative of ``kind`` to ``campaign`` from a form's values.

    ``upload`` holds ``creative_values``' keywords: upload, upload_folder, max_bytes.
    """
    creative = Creative(**creative_values(kind, data, campaign, **upload))
    creative.campaign = campaign
    return saving.add(creative, summary=summary(creative))


def update_creative(creative: Creative, data: dict, **upload) -> Creative:
    """Change a creative from a form's values; an image may be replaced or kept.

    When the values change nothing, nothing is written.
    """
    values = creative_values(creative.kind, data, creative.campaign, creative=creative, **upload)
    saving.change(creative, values, summary=summary(creative))
    return creative


def remove_creative(creative: Creative, upload_folder: str) -> str:
    """Archive a creative whose campaign was ever switched on, else delete it; say which.

    An archived creative is also switched off, so that restoring it shows nothing
    until staff switch it on again.
    """
    if creative.campaign.state != "draft":
        creative.active = False
        saving.archive(creative, summary=summary(creative))
        return "archive"
    delete_creative(creative, upload_folder)
    return "delete"


def restore_creative(creative: Creative, switch_on: bool = False) -> bool:
    """Bring an archived creative back, still switched off unless ``switch_on`` (the undo
    of a remove puts back an active one as it was); give whether it was archived."""
    if creative.archived_at is None:
        return False
    if switch_on:
        saving.change(creative, {"active": True}, summary=summary(creative))
    return saving.restore(creative, summary=summary(creative))
