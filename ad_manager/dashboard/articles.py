"""The article catalogue: list with search and filters, add and edit, hide and show,
and importing a feed or sitemap."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.catalog.articles import HIDDEN, LISTED, search_articles, sections
from ad_manager.catalog.editing import create_article, set_article_status, update_article
from ad_manager.catalog.feeds import import_for_staff
from ad_manager.dashboard.articles_forms import (
    ArticleForm,
    FeedImportForm,
    NewArticleForm,
    active_sites,
    chosen_site,
    to_local,
    to_utc,
)
from ad_manager.dashboard.form_pages import form_page, show_errors
from ad_manager.dashboard.pagination import Page, form_status, page_number
from ad_manager.dashboard.templating import is_partial
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.models import Article, Role, Site

bp = staff_blueprint("articles", __name__, url_prefix="/articles")


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """List a site's articles, newest first, with search and section/tag/status filters."""
    sites = active_sites()
    site = chosen_site(sites)
    filters = {key: request.args.get(key, "").strip()[:120]
               for key in ("q", "section", "tag", "status")}
    page = None
    if site is not None:
        query = search_articles(site, text=filters["q"], section=filters["section"],
                                tag=filters["tag"], status=filters["status"])
        page = Page(query, page_number())
    template = "articles/_results.html" if is_partial() else "articles/index.html"
    return render_template(template, sites=sites, site=site, page=page, filters=filters,
                           sections=sections(site) if site else [])


def article_data(form: ArticleForm) -> dict:
    """Give the form's values as the catalogue takes them, the date as an instant."""
    return {name: getattr(form, name).data for name in (
        "url", "title", "section", "tags", "image_url", "status")} | {
        "published_at": to_utc(form.published_at.data)}


def listed(article: Article) -> str:
    """Give the address of the catalogue of the article's site."""
    return url_for("articles.index", site=article.site_id)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Add an article typed by hand."""
    sites = active_sites()
    form = NewArticleForm()
    form.site.choices = [(site.id, site.name) for site in sites]
    if request.method == "GET" and chosen_site(sites):
        form.site.data = chosen_site(sites).id
    return form_page(form, "articles/form.html",
                     lambda: create_article(db.get_or_404(Site, form.site.data),
                                            article_data(form)),
                     then=listed, article=None, message=lambda article: _(
                         "Article “%(title)s” added.", title=article.title))


@bp.route("/<int:article_id>", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(article_id: int):
    """Correct an article's headline, section, tags, date, image or status."""
    article = db.get_or_404(Article, article_id)
    form = ArticleForm(data={
        "url": article.url, "title": article.title, "section": article.section,
        "tags": ", ".join(article.tags or []), "published_at": to_local(article.published_at),
        "image_url": article.image_url, "status": article.status})
    return form_page(form, "articles/form.html",
                     lambda: update_article(article, article_data(form)),
                     then=listed, article=article, message=lambda article: _(
                         "Article “%(title)s” saved.", title=article.title))


@bp.route("/<int:article_id>/visibility", methods=["POST"])
@requires(Role.SALES)
def visibility(article_id: int):
    """Hide an article from every insert, or list it again; htmx swaps its row."""
    article = db.get_or_404(Article, article_id)
    status = request.form.get("status", "")
    if status not in (LISTED, HIDDEN):
        abort(400)
    set_article_status(article, status)
    db.session.commit()
    if is_partial():
        return render_template("articles/_row.html", article=article)
    return redirect(request.referrer or url_for("articles.index", site=article.site_id), 303)


@bp.route("/import", methods=["GET", "POST"])
@requires(Role.SALES)
def feed_import():
    """Import a site's feed or sitemap now; the result page counts what changed."""
    sites = active_sites()
    form = FeedImportForm()
    form.site.choices = [(site.id, site.name) for site in sites]
    site = chosen_site(sites)
    if request.method == "GET" and site is not None:
        form.site.data = site.id
        form.url.data = site.feed_url
    result = None
    if form.validate_on_submit():
        site = db.get_or_404(Site, form.site.data)
        try:
            result = import_for_staff(site, form.url.data, remember=form.remember.data)
        except Invalid as invalid:
            db.session.rollback()
            show_errors(form, invalid)
        else:
            db.session.commit()
    return render_template("articles/import.html", form=form, result=result,
                           site=site), form_status(form)
