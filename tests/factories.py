"""The rows and values tests start from, made directly (the forms are tested elsewhere).

One factory per model, each with the defaults most tests want and keywords for the
rest; every factory commits, so what it made is visible to the live server's threads
and survives a view's rollback. Bigger worlds are built from the same factories:

- ``make_journal``: the catalogue tests' "Le Journal" on journal.example;
- ``make_demo_site``: the demo site's zones and insert, made minimally;
- ``make_inventory``: the serving tests' reference article layout and a live campaign;
- ``make_world``: the counting and report tests' site with one of each thing placed.
"""

import io
import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from PIL import Image

from ad_manager.delivery.shown import Shown
from ad_manager.extensions import db
from ad_manager.models import (
    Advertiser,
    Article,
    Campaign,
    ClientLink,
    Creative,
    HourlyStat,
    Insert,
    Layout,
    Placement,
    Site,
    Zone,
)
from ad_manager.models.client_link import new_token, token_hash
from ad_manager.serving.tokens import CLICK_SALT, EVENT_SALT, sign
from ad_manager.stats.deciding import record

# The serving tests' publisher origin, and its article pages' prefix.
ORIGIN = "https://www.journal.example"
# The banner zone's size map: 320×100 on phones, 728×90 from 768 px.
BANNER_MAP = [{"min_width": 0, "sizes": ["320x100"]}, {"min_width": 768, "sizes": ["728x90"]}]
# A column's medium rectangle, at every width.
COLUMN_MAP = [{"min_width": 0, "sizes": ["300x250"]}]
# A reader's browser (headless Chromium's own user agent is a bot's).
BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Safari/537.36")
SECRET = "test-secret"  # the app's SECRET_KEY in tests (conftest.make_app)


def _saved(*rows):
    db.session.add_all(rows)
    db.session.commit()
    return rows[0]


# --- Inventory -------------------------------------------------------------------------

def make_site(key="journal", **fields) -> Site:
    """A site of its own origin: ``www.<key>.example``, open to 127.0.0.1 pages too."""
    values = {"name": f"Le {key.title()}", "domains": [f"www.{key}.example"],
              "allowed_origins": [f"https://www.{key}.example", "http://127.0.0.1:*"],
              "sales_contact_url": f"https://www.{key}.example/contact-pub"}
    values.update(fields)
    return _saved(Site(key=key, **values))


def make_journal(*extra_domains, **fields) -> Site:
    """The catalogue tests' site: "Le Journal" on journal.example (+ ``extra_domains``)."""
    return make_site(domains=["journal.example", *extra_domains], **fields)


def make_zone(site: Site, slug="votre-pub-ici", size_map=None, **fields) -> Zone:
    """A zone offering the sizes of its ``size_map`` (by default the banner's)."""
    size_map = size_map or BANNER_MAP
    values = {"name": slug.replace("-", " ").title(),
              "sizes": sorted({size for entry in size_map for size in entry["sizes"]})}
    values.update(fields)
    return _saved(Zone(site_id=site.id, slug=slug, size_map=size_map, **values))


def make_insert(site: Site, slug="a-lire-aussi", **fields) -> Insert:
    return _saved(Insert(site_id=site.id, name=fields.pop("name", "À lire aussi"), slug=slug,
                         **fields))


def make_advertiser(name="Librairie du Centre") -> Advertiser:
    return _saved(Advertiser(name=name))


def image_creative(width=728, height=90, **fields) -> Creative:
    """An (unsaved) image creative whose file the browser tests answer by name."""
    values = {"kind": "image", "width": width, "height": height,
              "image_file": {(728, 90): "wide.png", (320, 100): "narrow.png"}.get(
                  (width, height), f"{width}x{height}.png"),
              "alt_text": "Librairie", "click_url": "https://librairie.example/"}
    values.update(fields)
    return Creative(**values)


def banner_pair() -> list[Creative]:
    """A 728×90 (wide.png) and a 320×100 (narrow.png) image: both banner sizes covered."""
    return [image_creative(728, 90), image_creative(320, 100)]


def make_campaign(zones=(), *, name="Librairie", advertiser=None, state="active",
                  days=(-1, 30), creatives=(), **fields) -> Campaign:
    """A campaign booked into ``zones`` from ``days[0]`` to ``days[1]`` days from now.

    Live by default; ``advertiser`` defaults to a new "Annonceur <name>".
    """
    now = datetime.now(UTC)
    values = {"state": state, "starts_at": now + timedelta(days=days[0]),
              "ends_at": now + timedelta(days=days[1])}
    values.update(fields)
    campaign = Campaign(advertiser=advertiser or Advertiser(name=f"Annonceur {name}"),
                        name=name, **values)
    campaign.zones = list(zones)
    campaign.creatives = list(creatives)
    return _saved(campaign)


def make_client_link(campaign: Campaign, **fields) -> tuple[ClientLink, str]:
    """A client link to ``campaign``'s report (open 90 days); give it and its token."""
    token = new_token()
    return _saved(ClientLink(campaign_id=campaign.id, token_hash=token_hash(token),
                             **fields)), token


def make_articles(site: Site, count=4, section="politique") -> list[Article]:
    """``count`` listed articles of ``section`` on www.journal.example, newest first."""
    now = datetime.now(UTC)
    articles = [Article(site_id=site.id, url=f"{ORIGIN}/{section}/{n}",
                        title=f"Titre {section} {n}", section=section,
                        published_at=now - timedelta(hours=n)) for n in range(1, count + 1)]
    _saved(*articles)
    return articles


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


# --- Worlds ----------------------------------------------------------------------------

def make_demo_site() -> Site:
    """The demo site (served on 127.0.0.1) with its zones and insert, made minimally;
    ``ad_manager.demo.layouts.load_layouts(site)`` adds the demo layouts."""
    site = make_site("demo", name="Demo", domains=["127.0.0.1", "localhost"])
    make_zone(site, "votre-pub-ici")
    make_zone(site, "colonne", COLUMN_MAP)
    make_insert(site, "a-lire-aussi")
    return site


def make_layout(site: Site) -> dict:
    """Give the reference layout's zones, insert, layout and placements by name.

    Zone ``votre-pub-ici`` after the headline, insert ``a-lire-aussi`` after paragraphs
    2 and 6, zone ``colonne`` (300×250, collapsed when unsold) placed by hand.
    """
    top = make_zone(site, "votre-pub-ici")
    column = make_zone(site, "colonne", COLUMN_MAP, unsold="collapse")
    insert = make_insert(site, rules=["section"], link_count=1)
    layout = Layout(site_id=site.id, name="Article", slug="article", is_default=True)
    layout.placements = [
        Placement(position=0, where="before_first_paragraph", zone_id=top.id),
        Placement(position=1, where="after_paragraph", paragraph=2, insert_id=insert.id),
        Placement(position=2, where="after_paragraph", paragraph=6, insert_id=insert.id),
        Placement(position=3, where="manual", zone_id=column.id),
    ]
    _saved(layout)
    return {"top": top, "column": column, "insert": insert, "layout": layout}


def make_inventory(**campaign_fields) -> dict:
    """The serving tests' whole reference inventory: a site with the reference layout, a
    live campaign in the top zone (both banner sizes, unless ``creatives`` is given) and
    four "politique" articles. ``campaign_fields`` go to make_campaign."""
    site = make_site()
    things = make_layout(site)
    things["site"] = site
    campaign_fields.setdefault("creatives", banner_pair())
    things["campaign"] = make_campaign([things["top"]], **campaign_fields)
    things["articles"] = make_articles(site)
    return things


def make_world(now: datetime | None = None) -> SimpleNamespace:
    """The counting and report tests' world: "Le Quotidien" with a zone and an insert
    placed in its default layout, a live campaign (banner and text ad, goal 3,000
    impressions) and two articles; give its objects by name."""
    now = now or datetime.now(UTC)
    site = make_site("quotidien", name="Le Quotidien", domains=[],
                     allowed_origins=["https://www.quotidien.fr"],
                     sales_contact_url="https://www.quotidien.fr/publicite",
                     excluded_user_agents=["InternalMonitor"],
                     excluded_ip_ranges=["10.1.0.0/16"])
    zone = make_zone(site, "sous-titre", [{"min_width": 0, "sizes": ["728x90"]}],
                     name="Sous le titre")
    insert = make_insert(site)
    layout = _saved(Layout(site_id=site.id, name="Article", slug="article", is_default=True))
    advertiser = make_advertiser()
    campaign = make_campaign(name="Rentrée littéraire", advertiser=advertiser,
                             starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=20),
                             goal_impressions=3000)
    banner = _saved(Creative(campaign=campaign, name="Bannière", kind="image", width=728,
                             height=90, click_url="https://librairie.example/rentree"))
    text_ad = _saved(Creative(campaign=campaign, name="Texte", kind="text",
                              headline="Des livres", click_url="https://librairie.example/texte"))
    article = _saved(Article(site_id=site.id, url="https://www.quotidien.fr/politique/debat",
                             title="Le débat de la semaine", section="politique"))
    other = _saved(Article(site_id=site.id, url="https://www.quotidien.fr/sport/match",
                           title="Le match", section="sport"))
    zone_placement = _saved(Placement(layout=layout, where="before_first_paragraph",
                                      zone_id=zone.id))
    insert_placement = _saved(Placement(layout=layout, where="after_paragraph", paragraph=2,
                                        insert_id=insert.id))
    return SimpleNamespace(site=site, zone=zone, insert=insert, layout=layout,
                           advertiser=advertiser, campaign=campaign, banner=banner,
                           text_ad=text_ad, article=article, other=other,
                           zone_placement=zone_placement, insert_placement=insert_placement)


# --- What a page view showed, and what it counted --------------------------------------

def banner_shown(world, view: str = "view-1", **changes) -> Shown:
    """What a page view of ``make_world`` showed in the zone: the banner."""
    values = {"view": view, "site": world.site.id, "layout": world.layout.id,
              "placement": world.zone_placement.id, "zone": world.zone.id,
              "campaign": world.campaign.id, "creative": world.banner.id}
    values.update(changes)
    return Shown(**values)


def link_shown(world, view: str = "view-1", article=None, **changes) -> Shown:
    """What a page view of ``make_world`` showed in the insert: a link to an article."""
    values = {"view": view, "site": world.site.id, "layout": world.layout.id,
              "placement": world.insert_placement.id, "insert": world.insert.id,
              "article": (article or world.article).id}
    values.update(changes)
    return Shown(**values)


def event_token(shown: Shown) -> str:
    return sign(SECRET, shown, EVENT_SALT)


def click_token(shown: Shown) -> str:
    """The token of a click link: the events' own (one signature serves both)."""
    return sign(SECRET, shown, EVENT_SALT)


def legacy_click_token(shown: Shown) -> str:
    """A click link's token as decisions signed it before one token served both."""
    return sign(SECRET, shown, CLICK_SALT)


def totals() -> tuple:
    """Sum served, rendered, viewable, clicks and filtered over all hourly rows."""
    row = db.session.execute(sa.select(
        sa.func.sum(HourlyStat.served), sa.func.sum(HourlyStat.rendered),
        sa.func.sum(HourlyStat.viewable), sa.func.sum(HourlyStat.clicks),
        sa.func.sum(HourlyStat.filtered))).one()
    return tuple(n or 0 for n in row)


def make_zone_history(zone: Zone, days: int, per_hour: int = 100, now: datetime | None = None,
                      **measures) -> None:
    """``days`` days of rendered impressions in ``zone`` up to ``now``'s hour, ``per_hour``
    an hour, with ``measures`` (e.g. viewable=50) beside them: the forecast's history."""
    from ad_manager.stats.counters import add_counts

    end = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    dims = (zone.site_id, 0, 0, zone.id, 0, 0, 0, 0)
    for n in range(days * 24):
        add_counts(end - timedelta(hours=n + 1), {dims: {"rendered": per_hour, **measures}})
    db.session.commit()


# The report tests' clock: four page views are counted on the 18th and the 20th.
REPORT_NOW = datetime(2026, 11, 20, 15, 10, tzinfo=UTC)


def count_events(world, when, events, user_agent=BROWSER) -> None:
    """Count ``events`` (shown, kind) of ``make_world`` at ``when``, and commit."""
    record(events, user_agent=user_agent, remote_addr=None, site_id=world.site.id, now=when)
    db.session.commit()


def fill_reports(world) -> None:
    """Four page views on the 18th (two hours) and 20th; one bot; links in the insert."""
    now = REPORT_NOW
    for view, when in (("a", now - timedelta(days=2, hours=3)), ("b", now - timedelta(days=2)),
                       ("c", now), ("d", now)):
        banner = banner_shown(world, view)
        count_events(world, when, [(banner, "served"), (banner, "rendered")])
        if view in "ac":
            count_events(world, when, [(banner, "viewable")])
        if view == "c":
            count_events(world, when, [(banner, "click")])
        link = link_shown(world, view, article=world.article if view in "ab" else world.other)
        count_events(world, when, [(link, "served"), (link, "rendered")])
        if view in "abd":
            count_events(world, when, [(link, "click")])
    count_events(world, now, [(banner_shown(world, "bot"), "served")], user_agent="Googlebot/2.1")
