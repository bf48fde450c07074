"""The demo publisher's pages: the reference article, catalogue articles, sales contact.

A public blueprint, as a publisher's own site would be: no login, no session, and
the page carries exactly what the snippet generator gives.
"""

import re

from flask import Blueprint, abort, make_response, request, url_for
from sqlalchemy import select

from ad_manager.delivery.layouts import match_layout
from ad_manager.demo.chronicle import CHRONICLE, catalogue_paragraphs
from ad_manager.demo.site import DEMO_KEY, follow_address
from ad_manager.extensions import db
from ad_manager.layouts.preview import PreviewArticle
from ad_manager.models import Article, Layout, Site
from ad_manager.public_pages import render_public
from ad_manager.snippets import snippet_parts

bp = Blueprint("demo", __name__, url_prefix="/demo")
ARTICLE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def demo_site() -> Site | None:
    return db.session.scalar(select(Site).where(Site.key == DEMO_KEY, Site.archived_at.is_(None)))


def follow_own_address(site: Site | None) -> None:
    """Keep the demo's links on the host and port this page is served from (see
    follow_address); only a real demo page moves them, never a junk address."""
    if site is not None and follow_address(site, request.host_url):
        db.session.commit()


def page_parts(site: Site | None, layout: Layout | None, article: PreviewArticle, url: str,
               preview: bool = False) -> dict | None:
    """Give the snippet parts for the page, or None when the demo isn't loaded."""
    if site is None:
        return None
    if layout is None:
        layouts = db.session.scalars(select(Layout).where(
            Layout.site_id == site.id, Layout.archived_at.is_(None))).all()
        layout = match_layout(layouts, slug="article", section=article.section, url=url)
    if layout is None:
        return None
    return snippet_parts(site, layout, request.host_url, preview=preview)


def render_article(article: PreviewArticle, canonical: str, layout: Layout | None = None,
                   preview: dict | None = None):
    """Render an article page as the publisher's template would, with the embed parts."""
    site = layout.site if layout is not None else demo_site()
    parts = page_parts(site, layout, article, canonical, preview=preview is not None)
    return render_public("demo/article.html", article=article, canonical=canonical,
                           parts=parts, site=site, preview=preview)


def public_headers(body: str):
    """Answer a public page: revalidated each time (the layout may change), never sniffed."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


@bp.route("/article")
def article():
    """The reference article (docs/architecture.md): headline, zone, 7 paragraphs, inserts."""
    canonical = url_for("demo.article", _external=True)
    follow_own_address(demo_site())
    return public_headers(render_article(CHRONICLE, canonical))


@bp.route("/articles/<slug>")
def catalogue_article(slug: str):
    """A catalogue article of the demo site, so that every "À lire aussi" link lands."""
    site = demo_site()
    if site is None or not ARTICLE_SLUG.match(slug):
        abort(404)
    found = db.session.scalar(select(Article).where(
        Article.site_id == site.id, Article.url.like(f"%/demo/articles/{slug}")))
    if found is None:
        abort(404)
    follow_own_address(site)
    article = PreviewArticle(
        title=found.title, section=found.section or "politique",
        tags=tuple(found.tags or ()), author="La rédaction",
        paragraphs=catalogue_paragraphs(found.section or ""))
    canonical = url_for("demo.catalogue_article", slug=slug, _external=True)
    return public_headers(render_article(article, canonical))


@bp.route("/contact-pub")
def contact():
    """The sales contact page the house ad "Votre Pub ici !" links to."""
    site = demo_site()
    follow_own_address(site)
    return public_headers(render_public("demo/contact.html", site=site))

