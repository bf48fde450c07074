"""The demo site's inventory: the "Votre Pub ici !" zone, a sidebar zone, two advertisers.

Safe to run again: rows are found by slug or name and refreshed, never duplicated;
live flights are moved so that they are live on the day the demo is loaded.
"""

import io
from datetime import timedelta
from pathlib import Path

from flask import current_app
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from ad_manager.extensions import db
from ad_manager.inventory.images import CheckedImage, store_image
from ad_manager.models import Advertiser, Campaign, Creative, Site, Zone, utcnow

ZONES = [
    {"slug": "votre-pub-ici", "name": "Votre Pub ici (sous le titre)",
     "sizes": ["728x90", "320x100"],
     "size_map": [{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, "sizes": ["728x90"]}]},
    {"slug": "colonne", "name": "Colonne", "sizes": ["300x250"],
     "size_map": [{"min_width": 0, "sizes": ["300x250"]}]},
]


def load_inventory(site: Site) -> None:
    """Create or refresh the demo zones, advertisers, campaigns and creatives of ``site``."""
    zones = {spec["slug"]: _zone(site, spec) for spec in ZONES}
    now = utcnow()
    librairie = _advertiser("Librairie du Centre", "Claire Dubois", "claire@example.org")
    velos = _advertiser("Vélos Martin", "Paul Martin", "paul@example.org")
    noel = _campaign(librairie, "Un livre pour Noël", [zones["votre-pub-ici"]],
                     now - timedelta(days=7), now + timedelta(days=60), tier="standard")
    for size in ("728x90", "320x100"):
        _image_creative(noel, size, "Librairie du Centre : un livre pour Noël",
                        "https://www.example.org/librairie-du-centre")
    revision = _campaign(velos, "Révision d’hiver", [zones["votre-pub-ici"], zones["colonne"]],
                         now - timedelta(days=3), now + timedelta(days=45), tier="standard")
    _text_creative(revision, "Vélos Martin", "Révision complète offerte jusqu’à fin décembre.",
                   "https://www.example.org/velos-martin")
    rentree = _campaign(librairie, "Rentrée littéraire", [zones["colonne"]],
                        now - timedelta(days=90), now - timedelta(days=30), tier="standard")
    _text_creative(rentree, "Rentrée littéraire", "Les romans de la rentrée sont arrivés.",
                   "https://www.example.org/librairie-du-centre/rentree")
    db.session.flush()


def _zone(site: Site, spec: dict) -> Zone:
    zone = db.session.scalar(select(Zone).where(Zone.site_id == site.id,
                                                Zone.slug == spec["slug"]))
    if zone is None:
        zone = Zone(site=site, slug=spec["slug"])
        db.session.add(zone)
    zone.name, zone.sizes, zone.size_map = spec["name"], spec["sizes"], spec["size_map"]
    zone.label, zone.unsold, zone.archived_at = "Publicité", "house", None
    return zone


def _advertiser(name: str, contact: str, email: str) -> Advertiser:
    advertiser = db.session.scalar(select(Advertiser).where(Advertiser.name == name))
    if advertiser is None:
        advertiser = Advertiser(name=name, notes="Annonceur de démonstration.")
        db.session.add(advertiser)
    advertiser.contact_name, advertiser.contact_email = contact, email
    advertiser.archived_at = None
    return advertiser


def _campaign(advertiser: Advertiser, name: str, zones: list[Zone], starts, ends,
              tier: str) -> Campaign:
    db.session.flush()
    campaign = db.session.scalar(select(Campaign).where(
        Campaign.advertiser_id == advertiser.id, Campaign.name == name))
    if campaign is None:
        campaign = Campaign(advertiser=advertiser, name=name)
        db.session.add(campaign)
    campaign.starts_at, campaign.ends_at, campaign.tier = starts, ends, tier
    campaign.state, campaign.weight, campaign.pace = "active", 1, "even"
    campaign.zones, campaign.archived_at = zones, None
    return campaign


def _creative(campaign: Campaign, name: str, kind: str) -> Creative:
    db.session.flush()
    creative = db.session.scalar(select(Creative).where(
        Creative.campaign_id == campaign.id, Creative.name == name))
    if creative is None:
        creative = Creative(campaign=campaign, name=name, kind=kind)
        db.session.add(creative)
    creative.active, creative.weight, creative.archived_at = True, 1, None
    return creative


def _text_creative(campaign: Campaign, headline: str, body: str, click_url: str) -> None:
    creative = _creative(campaign, headline, "text")
    creative.headline, creative.body, creative.click_url = headline, body, click_url
    creative.alt_text = headline


def _image_creative(campaign: Campaign, size: str, alt_text: str, click_url: str) -> None:
    creative = _creative(campaign, f"Bannière {size}", "image")
    folder = current_app.config["UPLOAD_FOLDER"]
    if not creative.image_file or not (Path(folder) / creative.image_file).exists():
        width, height = (int(n) for n in size.split("x"))
        image = CheckedImage(_banner_png(width, height), width, height, "image/png", ".png")
        creative.image_file = store_image(image, folder)
    creative.width, creative.height = (int(n) for n in size.split("x"))
    creative.image_type, creative.alt_text, creative.click_url = "image/png", alt_text, click_url


def _banner_png(width: int, height: int) -> bytes:
    """Draw the bookshop's banner: a red band, its name and the offer."""
    image = Image.new("RGB", (width, height), (250, 246, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, max(8, width // 60), height], fill=(200, 16, 46))
    big, small = _font(max(14, height // 4)), _font(max(11, height // 7))
    offer = "Un livre pour Noël : -10 % jusqu’au 24 décembre"
    if "DejaVu" not in str(getattr(small, "path", "")):  # Pillow's own font has no accents
        offer = "Un livre pour Noel : -10 % jusqu'au 24 decembre"
    left = max(16, width // 30)
    while getattr(small, "size", 0) > 9 and draw.textlength(offer, font=small) > width - left - 8:
        small = _font(small.size - 1)
    draw.text((left, height * 0.18), "Librairie du Centre", font=big, fill=(29, 35, 48))
    draw.text((left, height * 0.58), offer, font=small, fill=(200, 16, 46))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _font(size: int):
    """Give DejaVu Sans (Debian's default font, with accents) or Pillow's built-in one."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)
