"""The demo site's article catalogue and its insert ``a-lire-aussi``.

Sixteen articles in four sections, with headlines written for the demo; each one has a
page at ``/demo/articles/<slug>`` so that every "À lire aussi" link lands somewhere.
"""

from datetime import timedelta

from sqlalchemy import select

from ad_manager.catalog.articles import LISTED, save_article
from ad_manager.demo.site import ARTICLES_PATH, DEFAULT_BASE_URL
from ad_manager.extensions import db
from ad_manager.models import Insert, Site, utcnow
from ad_manager.models.catalog import DEFAULT_RULES, INSERT_LABEL

BASE_URL = DEFAULT_BASE_URL.rstrip("/") + ARTICLES_PATH

# (slug, section, headline, tags, hours before loading the demo)
DEMO_ARTICLES = (
    ("cantine-bio-votee", "politique",
     "Cantine : le conseil municipal vote le passage au bio d'ici la rentrée",
     ("conseil municipal", "écoles"), 20),
    ("budget-participatif-resultats", "politique",
     "Budget participatif : les habitants ont choisi leurs douze projets",
     ("budget", "démocratie locale"), 46),
    ("piste-cyclable-avenue-gare", "politique",
     "La piste cyclable de l'avenue de la Gare divise les riverains",
     ("mobilité", "travaux"), 70),
    ("maire-adjoint-demission", "politique",
     "Démission surprise d'un adjoint au maire chargé de l'urbanisme",
     ("conseil municipal", "urbanisme"), 118),
    ("fromagerie-reprise", "economie",
     "La fromagerie de la place du Marché trouve un repreneur",
     ("commerce", "emploi"), 26),
    ("zone-artisanale-extension", "economie",
     "Zone artisanale : huit nouveaux ateliers avant l'été",
     ("emploi", "entreprises"), 50),
    ("marche-noel-commercants", "economie",
     "Marché de Noël : les commerçants espèrent une meilleure saison",
     ("commerce", "fêtes"), 94),
    ("coworking-ancienne-poste", "economie",
     "Un espace de coworking s'installe dans l'ancienne poste",
     ("entreprises", "patrimoine"), 140),
    ("festival-jazz-programme", "culture",
     "Festival de jazz : une programmation plus jeune et plus locale",
     ("musique", "festival"), 30),
    ("mediatheque-horaires", "culture",
     "La médiathèque ouvrira désormais le dimanche matin",
     ("lecture", "services publics"), 58),
    ("expo-photo-lavoir", "culture",
     "Au vieux lavoir, une exposition de photos du quartier d'autrefois",
     ("exposition", "patrimoine"), 100),
    ("theatre-amateur-centenaire", "culture",
     "La troupe de théâtre amateur fête ses cent ans sur scène",
     ("théâtre", "associations"), 160),
    ("derby-victoire-fin-de-match", "sport",
     "Football : le derby basculé dans les dix dernières minutes",
     ("football", "derby"), 16),
    ("semi-marathon-record", "sport",
     "Semi-marathon : record de participation sous un soleil d'automne",
     ("course à pied", "associations"), 64),
    ("handball-montee", "sport",
     "Handball : les filles du club visent la montée en Nationale 2",
     ("handball", "féminines"), 110),
    ("piscine-travaux-reouverture", "sport",
     "La piscine rouvre après huit mois de travaux",
     ("natation", "travaux"), 190),
)
DEMO_SECTIONS = ("politique", "economie", "culture", "sport")
DEMO_INSERT = "a-lire-aussi"


def load_catalog(site: Site) -> Insert:
    """Create or refresh the demo articles (by URL) and the insert ``a-lire-aussi``.

    Publication times are set relative to now, so the catalogue always looks current.
    """
    now = utcnow()
    for slug, section, title, tags, hours in DEMO_ARTICLES:
        article, _created = save_article(
            site, BASE_URL + slug, title=title, section=section, tags=tags,
            published_at=now - timedelta(hours=hours), source="manual")
        article.status = LISTED
    insert = db.session.scalar(
        select(Insert).where(Insert.site_id == site.id, Insert.slug == DEMO_INSERT))
    if insert is None:
        insert = Insert(site_id=site.id, slug=DEMO_INSERT)
        db.session.add(insert)
    insert.name = "À lire aussi"
    insert.label = INSERT_LABEL
    insert.rules = list(DEFAULT_RULES)
    insert.link_count = 1
    insert.max_age_days = None
    insert.allow_sponsored = False
    insert.archived_at = None
    insert.picks = []
    db.session.flush()
    return insert
