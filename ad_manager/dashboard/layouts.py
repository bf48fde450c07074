"""The layouts area: layouts, their rules, and the placement editor (htmx, no reload).

Everyone signed in reads; admins change. The snippet and preview pages live in
``layout_pages.py`` on the same blueprint.
"""

from flask import abort, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager.auth.roles import requires, staff_blueprint
from ad_manager.dashboard import layout_pages
from ad_manager.dashboard.form_pages import (
    acted,
    announce,
    confirm_removal,
    confirm_step,
    confirmed,
    form_page,
    show_errors,
)
from ad_manager.dashboard.layout_pages import live_layout
from ad_manager.dashboard.layouts_forms import (
    DEVICE_LABELS,
    POSITION_LABELS,
    body_selector_help,
    layout_form,
    placement_form,
)
from ad_manager.extensions import db, htmx
from ad_manager.invalid import Invalid
from ad_manager.layouts.editing import (
    archive_layout,
    create_layout,
    move_rule,
    restore_layout,
    update_layout,
)
from ad_manager.layouts.placements import (
    add_placement,
    fold_warnings,
    move_placement,
    placement_fields,
    put_back_placement,
    remove_placement,
)
from ad_manager.layouts.schematic import page_order, same_spot, schematic_spots
from ad_manager.models import Layout, Placement, Role, Site
from ad_manager.models.base import LARGEST_ID

bp = staff_blueprint("layouts", __name__, url_prefix="/layouts")
bp.add_url_rule("/<int:layout_id>/snippet", view_func=layout_pages.snippet)
bp.add_url_rule("/<int:layout_id>/preview", view_func=layout_pages.preview)


@bp.route("/")
@requires(Role.VIEWER)
def index():
    """List each site's layouts: rules in their order, the default, placements.

    ``?archived=1`` lists the archived layouts instead, for admins to restore.
    """
    archived = request.args.get("archived") == "1"
    sites = db.session.scalars(select(Site).where(Site.archived_at.is_(None))
                               .order_by(Site.name)).all()
    layouts = db.session.scalars(select(Layout).where(
        Layout.archived_at.is_not(None) if archived else Layout.archived_at.is_(None))
        .order_by(Layout.rule_order, Layout.name)).all()
    by_site = {site: [lay for lay in layouts if lay.site_id == site.id] for site in sites}
    return render_template("layouts/index.html", by_site=by_site, archived=archived)


def in_editor(layout: Layout) -> str:
    """Give the address of the layout's placement editor."""
    return url_for("layouts.editor", layout_id=layout.id)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.SALES)
def new():
    """Create a layout, then open its placement editor."""
    form = layout_form(None)
    return form_page(form, "layouts/form.html",
                     lambda: create_layout(db.session.get(Site, form.site_id.data),
                                           form.values()),
                     then=in_editor, layout=None, body_help=body_selector_help(),
                     message=lambda layout: _(
                         "Layout %(name)s created: now place its zones and inserts.",
                         name=layout.name))


@bp.route("/<int:layout_id>/edit", methods=["GET", "POST"])
@requires(Role.SALES)
def edit(layout_id: int):
    """Change a layout's name, slug, body selector, default flag and rule."""
    layout = live_layout(layout_id)
    form = layout_form(layout)
    form.site_id.data = layout.site_id
    return form_page(form, "layouts/form.html", lambda: update_layout(layout, form.values()),
                     then=in_editor, layout=layout, body_help=body_selector_help(),
                     message=lambda layout: _("Layout %(name)s saved.", name=layout.name))


@bp.route("/<int:layout_id>/archive", methods=["GET", "POST"])
@requires(Role.SALES)
def archive(layout_id: int):
    """Retire a layout (after asking); its reports stay."""
    layout = live_layout(layout_id)
    if not confirmed():
        return confirm_removal(layout.name, True, url_for("layouts.edit", layout_id=layout.id))
    return acted(archive_layout(layout), _("Layout %(name)s archived.", name=layout.name),
                 url_for("layouts.index"), undo=url_for("layouts.restore", layout_id=layout.id))


@bp.route("/<int:layout_id>/restore", methods=["POST"])
@requires(Role.SALES)
def restore(layout_id: int):
    """Bring an archived layout back (not as the default)."""
    layout = db.get_or_404(Layout, layout_id)
    return acted(restore_layout(layout), _("Layout %(name)s restored.", name=layout.name),
                 url_for("layouts.index", archived=1))


@bp.route("/<int:layout_id>/rule", methods=["POST"])
@requires(Role.SALES)
def rule(layout_id: int):
    """Move a layout's matching rule one place up or down among its site's rules."""
    layout = live_layout(layout_id)
    if move_rule(layout, -1 if request.form.get("step") == "up" else 1):
        db.session.commit()
    return redirect(url_for("layouts.index"), 303)


def render_editor(layout: Layout, form=None, status: int = 200):
    """Answer with the editor: the fragment for htmx, else the whole page."""
    form = form or placement_form(layout)
    context = {"layout": layout, "form": form, "warnings": fold_warnings(layout),
               "spots": schematic_spots(layout.placements),
               "placements": page_order(layout.placements), "same_spot": same_spot,
               "positions": POSITION_LABELS, "devices": DEVICE_LABELS}
    template = "layouts/_editor.html" if htmx and not htmx.boosted else "layouts/editor.html"
    return render_template(template, **context), status


@bp.route("/<int:layout_id>")
@requires(Role.VIEWER)
def editor(layout_id: int):
    """Show the layout's placements on a schematic article (admins also edit them)."""
    return render_editor(live_layout(layout_id))


def _after_change(layout: Layout):
    """Answer a placement change: the fresh editor for htmx, else back to the page."""
    db.session.commit()
    db.session.refresh(layout)
    if htmx and not htmx.boosted:
        return render_editor(layout)
    return redirect(url_for("layouts.editor", layout_id=layout.id), 303)


@bp.route("/<int:layout_id>/placements", methods=["POST"])
@requires(Role.SALES)
def add(layout_id: int):
    """Add a placement at the end of the layout; errors show next to the fields."""
    layout = live_layout(layout_id)
    form = placement_form(layout)
    if form.validate_on_submit():
        try:
            add_placement(layout, form.values())
        except Invalid as invalid:
            db.session.rollback()
            show_errors(form, invalid)
        else:
            return _after_change(layout)
    return render_editor(layout, form, 422)


def _placement(layout_id: int, placement_id: int) -> Placement:
    placement = db.get_or_404(Placement, placement_id)
    if placement.layout_id != layout_id or placement.layout.archived:
        abort(404)
    return placement


@bp.route("/<int:layout_id>/placements/<int:placement_id>/move", methods=["POST"])
@requires(Role.SALES)
def move(layout_id: int, placement_id: int):
    """Move a placement one up or down."""
    placement = _placement(layout_id, placement_id)
    move_placement(placement, -1 if request.form.get("step") == "up" else 1)
    return _after_change(placement.layout)


@bp.route("/<int:layout_id>/placements/<int:placement_id>/remove", methods=["GET", "POST"])
@requires(Role.SALES)
def remove(layout_id: int, placement_id: int):
    """Take a placement out of the layout (after asking); the banner offers to put it back."""
    placement = _placement(layout_id, placement_id)
    layout = placement.layout
    if not confirmed():
        question = get_template_attribute("layouts/_placement.html", "removal_question")
        return confirm_step(str(question(placement, POSITION_LABELS)).strip(), _("Remove"),
                            in_editor(layout))
    name, kept = (placement.zone or placement.insert).name, placement_fields(placement)
    remove_placement(placement)
    announce(_("“%(name)s” taken out of the layout.", name=name),
             undo=url_for("layouts.put_back", layout_id=layout.id), undo_values=kept)
    return _after_change(layout)


@bp.route("/<int:layout_id>/placements/put-back", methods=["POST"])
@requires(Role.SALES)
def put_back(layout_id: int):
    """Put a removed placement back where it was (the banner's "Undo" after a ✕)."""
    layout = live_layout(layout_id)
    form = placement_form(layout)
    position = request.form.get("position", "")
    position = int(position) if position.isascii() and position.isdigit() else None
    if form.validate_on_submit():
        try:
            put_back_placement(layout, form.values(), min(position or 0, LARGEST_ID) or None)
        except Invalid as invalid:
            db.session.rollback()
            show_errors(form, invalid)
        else:
            announce(_("Placement put back."))
            return _after_change(layout)
    return render_editor(layout, form, 422)
