"""Related-link inserts ("À lire aussi :"): list, form with a live preview, archive."""

from flask import make_response, render_template, request, url_for
from flask_babel import gettext as _

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.catalog.articles import clean_tags, sections
from ad_manager.catalog.inserts import (
    FIELDS,
    archive_insert,
    create_insert,
    pickable_articles,
    preview_links,
    restore_insert,
    update_insert,
)
from ad_manager.dashboard.articles_forms import active_sites, chosen_site, to_local
from ad_manager.dashboard.form_pages import acted, confirm_removal, confirmed, saved
from ad_manager.dashboard.inserts_forms import (
    RULE_CHOICES,
    InsertForm,
    NewInsertForm,
    chain_rows,
)
from ad_manager.dashboard.pagination import form_status
from ad_manager.extensions import db
from ad_manager.models import Insert, Role, Site, utcnow
from ad_manager.models.base import LARGEST_ID

bp = staff_blueprint("inserts", __name__, url_prefix="/inserts")

@bp.route("/")
@requires(Role.VIEWER)
def index():
    """List the inserts of every site; archived ones on request."""
    archived = request.args.get("archived") == "1"
    query = db.select(Insert).join(Site).order_by(Site.name, Insert.name)
    shown = Insert.archived_at.is_not(None) if archived else Insert.archived_at.is_(None)
    query = query.where(shown)
    inserts = db.session.scalars(query).all()
    return render_template("inserts/index.html", inserts=inserts, archived=archived,
                           rule_names=dict(RULE_CHOICES))


def listed(_insert: Insert) -> str:
    """Give the address of the list of inserts, where a saved insert goes back to."""
    return url_for("inserts.index")


def insert_page(form: InsertForm, save, message, articles, insert: Insert | None, site):
    """Show the insert form with a blank pick row, or save it as ``form_page`` does."""
    response = saved(form, save, then=listed, message=message)
    if response is not None:
        return response
    form.add_blank_picks(articles)
    return render_template("inserts/form.html", form=form, insert=insert, site=site,
                           sections=sections(site) if site else []), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Create an insert; the preview shows what it links as the form changes."""
    sites = active_sites()
    form = NewInsertForm()
    form.site.choices = [(site.id, site.name) for site in sites]
    site = chosen_site(sites)
    articles = pickable_articles(site) if site else []
    form.set_article_choices(articles)
    if request.method == "GET" and site is not None:
        form.site.data = site.id
    return insert_page(
        form, lambda: create_insert(db.get_or_404(Site, form.site.data), form.values()),
        lambda insert: _("Insert “%(name)s” created.", name=insert.name), articles, None, site)


def _form_data(insert: Insert) -> dict:
    """The insert as the form shows it, pick dates in local time."""
    data = {name: getattr(insert, name) for name in FIELDS}
    data["rules"] = chain_rows(insert.rules)
    data["picks"] = [{"article": str(p.article_id), "starts_at": to_local(p.starts_at),
                      "ends_at": to_local(p.ends_at)} for p in insert.picks]
    return data


@bp.route("/<int:insert_id>", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(insert_id: int):
    """Change an insert: label, rule chain, picks, link count, age, sponsored link."""
    insert = db.get_or_404(Insert, insert_id)
    site = db.session.get(Site, insert.site_id)
    articles = pickable_articles(site, keep=[pick.article_id for pick in insert.picks])
    # A post carries every pick row; only the first display fills the rows from the insert.
    form = InsertForm() if request.method == "POST" else InsertForm(data=_form_data(insert))
    form.set_article_choices(articles)
    return insert_page(
        form, lambda: update_insert(insert, form.values()),
        lambda insert: _("Insert “%(name)s” saved.", name=insert.name), articles, insert, site)


@bp.route("/<int:insert_id>/archive", methods=["GET", "POST"])
@requires(Role.SALES)
def archive(insert_id: int):
    """Archive an insert (after asking): reports keep it, layouts stop showing it."""
    insert = db.get_or_404(Insert, insert_id)
    if not confirmed():
        return confirm_removal(insert.name, True, url_for("inserts.index"))
    return acted(archive_insert(insert), _("Insert “%(name)s” archived.", name=insert.name),
                 url_for("inserts.index"),
                 undo=url_for("inserts.restore", insert_id=insert.id))


@bp.route("/<int:insert_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(insert_id: int):
    """Bring an archived insert back."""
    insert = db.get_or_404(Insert, insert_id)
    return acted(restore_insert(insert), _("Insert “%(name)s” restored.", name=insert.name),
                 url_for("inserts.index"))


def rearranged(rows: list[dict], action: str) -> list[dict]:
    """Give the pick rows after "add", "up-N", "down-N" or "remove-N"; junk changes nothing."""
    rows = list(rows)
    if action == "add":
        return [*rows, {"article": "", "starts_at": None, "ends_at": None}]
    verb, _dash, number = action.partition("-")
    if not number.isdecimal() or int(number) >= len(rows):
        return rows
    index = int(number)
    if verb == "remove":
        del rows[index]
    elif verb == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif verb == "down" and index + 1 < len(rows):
        rows[index], rows[index + 1] = rows[index + 1], rows[index]
    return rows


def posted_site() -> Site | None:
    """The site the insert form names (None for junk), for its htmx previews."""
    site_id = request.form.get("site", type=int) or 0
    return db.session.get(Site, site_id) if 0 < site_id <= LARGEST_ID else None


@bp.route("/picks", methods=["POST"])
@requires(Role.SALES)
def picks():
    """Re-render the hand-picked rows after adding, moving or removing one (htmx, unsaved)."""
    site = posted_site()
    articles = pickable_articles(site) if site else []
    typed = InsertForm()
    rows = [{"article": entry.form.article.data or "", "starts_at": entry.form.starts_at.data,
             "ends_at": entry.form.ends_at.data} for entry in typed.picks]
    form = InsertForm(formdata=None, data={
        "picks": rearranged(rows, request.form.get("pick_action", ""))})
    form.set_article_choices(articles)
    response = make_response(render_template("inserts/_picks.html", form=form))
    # After the swap, so that the preview reads the rows in their new order.
    response.headers["HX-Trigger-After-Settle"] = "picks-changed"
    return response


@bp.route("/preview", methods=["POST"])
@requires(Role.SALES)
def preview():
    """Render the insert as typed between two sample paragraphs (htmx, nothing saved)."""
    site = posted_site()
    form = InsertForm()
    articles = pickable_articles(site) if site else []
    form.set_article_choices(articles)
    form.validate()
    links = []
    if site is not None:
        links = preview_links(site, form.rule(), section=form.preview_section.data or "",
                              tags=clean_tags(form.preview_tags.data or ""), now=utcnow())
    return render_template("inserts/_preview.html", form=form, links=links, site=site,
                           rule_names=dict(RULE_CHOICES))
