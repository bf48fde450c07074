"""Forms of the layouts area: the layout itself and one placement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ad_manager.delivery.layouts import DEFAULT_BODY_SELECTORS
from ad_manager.extensions import db
from ad_manager.models import Insert, Layout, Site, Zone

POSITION_LABELS = {
    "before_first_paragraph": _l("Before the first paragraph"),
    "after_paragraph": _l("After paragraph N"),
    "after_paragraph_from_end": _l("After paragraph N from the end"),
    "after_body": _l("After the body"),
    "before_selector": _l("Before the element a selector finds"),
    "after_selector": _l("After the element a selector finds"),
    "inside_selector": _l("Inside the element a selector finds"),
    "manual": _l("By hand (placeholder in the page)"),
}
DEVICE_LABELS = {
    "all": _l("All screens"),
    "phone": _l("Phones only"),
    "wide": _l("Wider screens only"),
}


class LayoutForm(FlaskForm):
    site_id = SelectField(_l("Site"), coerce=int, validate_choice=False)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Slug"), validators=[DataRequired(), Length(max=64)])
    body_selector = StringField(_l("Article body selector"), validators=[Length(max=300)])
    is_default = BooleanField(_l("Default layout of the site"))
    match_sections = StringField(_l("Sections"), validators=[Length(max=300)])
    match_url_pattern = StringField(_l("URL pattern"), validators=[Length(max=300)])
    rule_order = IntegerField(_l("Rule order"), default=0,
                              validators=[Optional(), NumberRange(min=0, max=10_000)])

    def fill_sites(self) -> None:
        sites = db.session.scalars(select(Site).where(Site.archived_at.is_(None))
                                   .order_by(Site.name))
        self.site_id.choices = [(site.id, site.name) for site in sites]

    def values(self) -> dict:
        """Give the fields as the layout services take them."""
        return {name: getattr(self, name).data for name in (
            "name", "slug", "body_selector", "is_default", "match_sections",
            "match_url_pattern", "rule_order")}


def layout_form(layout: Layout | None) -> LayoutForm:
    """Make the layout form, filled from ``layout`` on first display."""
    form = LayoutForm(obj=layout)
    if layout is not None and not form.is_submitted():
        form.match_sections.data = ", ".join(layout.match_sections or [])
    form.fill_sites()
    return form


class PlacementForm(FlaskForm):
    where = SelectField(_l("Position"), choices=list(POSITION_LABELS.items()))
    paragraph = IntegerField(_l("Paragraph"), validators=[Optional(), NumberRange(max=10_000)])
    selector = StringField(_l("CSS selector"), validators=[Length(max=300)])
    what = SelectField(_l("Zone or insert"), validate_choice=False)
    device = SelectField(_l("Screens"), choices=list(DEVICE_LABELS.items()))
    min_paragraphs = IntegerField(_l("Only when the article has at least … paragraphs"),
                                  validators=[Optional(), NumberRange(max=10_000)])

    def fill_things(self, layout: Layout) -> None:
        """Offer the zones and inserts of the layout's own site."""
        zones = db.session.scalars(select(Zone).where(
            Zone.site_id == layout.site_id, Zone.archived_at.is_(None)).order_by(Zone.name))
        inserts = db.session.scalars(select(Insert).where(
            Insert.site_id == layout.site_id, Insert.archived_at.is_(None)).order_by(Insert.name))
        self.what.choices = {
            str(_l("Zones")): [(f"zone:{z.id}", f"{z.name} ({z.slug})") for z in zones],
            str(_l("Inserts")): [(f"insert:{i.id}", f"{i.name} ({i.slug})") for i in inserts],
        }

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "where", "paragraph", "selector", "what", "device", "min_paragraphs")}


def placement_form(layout: Layout) -> PlacementForm:
    form = PlacementForm()
    form.fill_things(layout)
    return form


def body_selector_help() -> str:
    """Explain what an empty body selector does, listing the built-in selectors."""
    return str(_l("Leave empty to try, in order: %(list)s — the first that finds an element "
                  "is the article body (WordPress, Ghost, Drupal, schema.org, plain HTML).",
                  list=", ".join(DEFAULT_BODY_SELECTORS)))
