"""Rows the inventory tests start from, made directly (the forms are tested elsewhere)."""

import io
import random
from datetime import UTC, datetime, timedelta

from PIL import Image

from ad_manager.extensions import db
from ad_manager.models import Advertiser, Campaign, Site, Zone


def make_site(key="quotidien", timezone="Europe/Paris") -> Site:
    site = Site(name="Le Quotidien", key=key, domains=["www.quotidien.fr"],
                allowed_origins=["https://www.quotidien.fr"], timezone=timezone,
                sales_contact_url="https://www.quotidien.fr/pub")
    db.session.add(site)
    db.session.commit()
    return site


def make_zone(site: Site, slug="votre-pub-ici", sizes=("728x90", "320x100")) -> Zone:
    size_map = ([{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, "sizes": ["728x90"]}]
                if list(sizes) == ["728x90", "320x100"] else [{"min_width": 0,
                                                               "sizes": list(sizes)}])
    zone = Zone(site=site, name=slug.replace("-", " ").title(), slug=slug, sizes=list(sizes),
                size_map=size_map)
    db.session.add(zone)
    db.session.commit()
    return zone


def make_advertiser(name="Librairie du Centre") -> Advertiser:
    advertiser = Advertiser(name=name)
    db.session.add(advertiser)
    db.session.commit()
    return advertiser


def make_campaign(advertiser: Advertiser, zones=(), state="draft", days=(-1, 30),
                  name="Noël 2026") -> Campaign:
    now = datetime.now(UTC)
    campaign = Campaign(advertiser=advertiser, name=name, state=state, zones=list(zones),
                        starts_at=now + timedelta(days=days[0]),
                        ends_at=now + timedelta(days=days[1]))
    db.session.add(campaign)
    db.session.commit()
    return campaign


def png_bytes(width: int, height: int, noise: bool = False, kind: str = "PNG") -> bytes:
    """Real image bytes made by Pillow; ``noise`` makes them hard to compress."""
    image = Image.new("RGB", (width, height), (200, 16, 46))
    if noise:
        rng = random.Random(4)
        image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                       for _ in range(width * height)])
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()
