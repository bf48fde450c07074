"""The article catalogue: list with search and filters, add and edit, hide and show,
and importing a feed or sitemap."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ad_manager import audit
from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.catalog.articles import (
    HIDDEN,
    LISTED,
    canonical_url,
    clean_tags,
    find_article,
    save_article,
    search_articles,
    sections,
)
from ad_manager.catalog.feeds import FeedError, import_feed
from ad_manager.dashboard.articles_forms import (
    ArticleForm,
    FeedImportForm,
    NewArticleForm,
    active_sites,
    chosen_site,
    to_local,
    to_utc,
)
from ad_manager.dashboard.pagination import Page, form_status, page_number
from ad_manager.dashboard.templating import is_partial
from ad_manager.extensions import db
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


def _article_fields(form: ArticleForm) -> dict:
    return {
        "title": form.title.data, "section": form.section.data or "",
        "tags": clean_tags(form.tags.data or ""), "published_at": to_utc(form.published_at.data),
        "image_url": form.image_url.data or "",
    }


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Add an article typed by hand."""
    sites = active_sites()
    form = NewArticleForm()
    form.site.choices = [(site.id, site.name) for site in sites]
    if request.method == "GET" and chosen_site(sites):
        form.site.data = chosen_site(sites).id
    if form.validate_on_submit():
        site = db.get_or_404(Site, form.site.data)
        if find_article(site, form.url.data) is not None:
            form.url.errors.append(_("This site already has an article at this address."))
        else:
            article, _created = save_article(site, form.url.data, **_article_fields(form))
            article.status = form.status.data
            audit.record("create", article, summary=article.title)
            db.session.commit()
            flash(_("Article “%(title)s” added.", title=article.title), "success")
            return redirect(url_for("articles.index", site=site.id), 303)
    return render_template("articles/form.html", form=form, article=None), form_status(form)


@bp.route("/<int:article_id>", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(article_id: int):
    """Correct an article's headline, section, tags, date, image or status."""
    article = db.get_or_404(Article, article_id)
    form = ArticleForm(data={
        "url": article.url, "title": article.title, "section": article.section,
        "tags": ", ".join(article.tags or []), "published_at": to_local(article.published_at),
        "image_url": article.image_url, "status": article.status})
    if form.validate_on_submit():
        url = canonical_url(form.url.data)
        other = find_article(article_site(article), url)
        if other is not None and other.id != article.id:
            form.url.errors.append(_("This site already has an article at this address."))
        else:
            fields = _article_fields(form) | {"url": url, "status": form.status.data}
            changes = audit.changed_fields(article, fields)
            if changes:
                audit.record("update", article, summary=article.title, changes=changes)
            db.session.commit()
            flash(_("Article “%(title)s” saved.", title=article.title), "success")
            return redirect(url_for("articles.index", site=article.site_id), 303)
    return render_template("articles/form.html", form=form, article=article), form_status(form)


def article_site(article: Article) -> Site:
    return db.session.get(Site, article.site_id)


@bp.route("/<int:article_id>/visibility", methods=["POST"])
@requires(Role.SALES)
def visibility(article_id: int):
    """Hide an article from every insert, or list it again; htmx swaps its row."""
    article = db.get_or_404(Article, article_id)
    status = request.form.get("status", "")
    if status not in (LISTED, HIDDEN):
        abort(400)
    changes = audit.changed_fields(article, {"status": status})
    if changes:
        audit.record("update", article, summary=article.title, changes=changes)
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
            result = import_feed(site, form.url.data, from_dashboard=True)
        except FeedError as error:
            db.session.rollback()
            form.url.errors.append(str(error))
        else:
            if form.remember.data and site.feed_url != form.url.data:
                changes = audit.changed_fields(site, {"feed_url": form.url.data})
                audit.record("update", site, summary=site.name, changes=changes)
            audit.record("import", site, summary=_(
                "%(url)s: %(created)d created, %(updated)d updated, %(skipped)d skipped",
                url=result.url, created=result.created, updated=result.updated,
                skipped=len(result.skipped)))
            db.session.commit()
    return render_template("articles/import.html", form=form, result=result,
                           site=site), form_status(form)
