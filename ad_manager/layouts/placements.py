"""A layout's placements: adding them with checks, their order, and fold warnings."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ad_manager.audit import record
from ad_manager.delivery.layouts import (  # the fold rules are the snippet's too
    SELECTOR_POSITIONS,
    may_sit_above_fold,
)
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.layouts.schematic import page_order, same_spot
from ad_manager.layouts.selectors import selector_problem
from ad_manager.models import Insert, Layout, Placement, Zone
from ad_manager.models.base import LARGEST_ID
from ad_manager.models.layout import POSITIONS

PARAGRAPH_POSITIONS = ("after_paragraph", "after_paragraph_from_end")
DEVICES = ("all", "phone", "wide")


def _thing(layout: Layout, what: str) -> Zone | Insert:
    """Find the zone or insert ``what`` ("zone:ID" / "insert:ID") of the layout's site."""
    kind, _sep, number = (what or "").partition(":")
    model = {"zone": Zone, "insert": Insert}.get(kind)
    known = model and number.isdigit() and int(number) <= LARGEST_ID
    thing = db.session.get(model, int(number)) if known else None
    if thing is None or thing.archived:
        raise Invalid.on("what", _("Choose a zone or an insert."))
    if thing.site_id != layout.site_id:
        raise Invalid.on("what", _("This belongs to another site than the layout."))
    return thing


def _positive(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    if not isinstance(value, int) or value < 1:
        raise Invalid.on(field, _("A number from 1 up."))
    return value


def clean_placement(layout: Layout, data: dict) -> dict:
    """Check a placement's fields against the rules; give the model's values.

    A paragraph number only for "after paragraph" positions (and then ≥ 1), a
    selector that parses only for selector positions, a zone or insert of the
    layout's own site, and only zones placed by hand (the page holds their box).
    """
    where = data.get("where")
    if where not in POSITIONS:
        raise Invalid.on("where", _("Choose a position."))
    thing = _thing(layout, data.get("what", ""))
    paragraph = None
    if where in PARAGRAPH_POSITIONS:
        paragraph = _positive(data.get("paragraph"), "paragraph")
        if paragraph is None:
            raise Invalid.on("paragraph", _("Give the paragraph number (1 or more)."))
    selector = ""
    if where in SELECTOR_POSITIONS:
        selector = (data.get("selector") or "").strip()
        if not selector:
            raise Invalid.on("selector", _("Give the CSS selector of the element."))
        problem = selector_problem(selector)
        if problem:
            raise Invalid.on("selector", _("This is not a valid CSS selector: %(problem)s",
                                           problem=problem))
    if where == "manual" and isinstance(thing, Insert):
        raise Invalid.on("where", _("Only zones have a placeholder the page can hold."))
    device = data.get("device") or "all"
    if device not in DEVICES:
        raise Invalid.on("device", _("Choose which screens."))
    return {
        "where": where, "paragraph": paragraph, "selector": selector, "device": device,
        "min_paragraphs": _positive(data.get("min_paragraphs"), "min_paragraphs"),
        "zone_id": thing.id if isinstance(thing, Zone) else None,
        "insert_id": thing.id if isinstance(thing, Insert) else None,
    }


def add_placement(layout: Layout, data: dict) -> Placement:
    """Append a checked placement at the end of the layout; the caller commits."""
    fields = clean_placement(layout, data)
    last = db.session.scalar(select(func.max(Placement.position))
                             .where(Placement.layout_id == layout.id))
    placement = Placement(layout_id=layout.id, position=(last or 0) + 1, **fields)
    db.session.add(placement)
    db.session.flush()
    db.session.refresh(layout)
    record("create", placement, summary=f"{layout.name}: {describe(placement)}")
    return placement


def move_placement(placement: Placement, step: int) -> bool:
    """Move a placement one up (-1) or down (+1) among those at the same spot of the
    page (where it shows is its position's business); give whether it moved."""
    layout = placement.layout
    order = page_order(layout.placements)
    index = order.index(placement)
    other = index + step
    if not 0 <= other < len(order) or not same_spot(order[index], order[other]):
        return False
    order[index], order[other] = order[other], order[index]
    for number, item in enumerate(order, start=1):
        item.position = number
    record("move", placement, summary=f"{layout.name}: {describe(placement)}",
           changes={"position": [index + 1, other + 1]})
    db.session.flush()
    db.session.expire(layout, ["placements"])
    return True


def remove_placement(placement: Placement) -> None:
    """Take a placement out of its layout."""
    layout = placement.layout
    record("delete", placement, summary=f"{layout.name}: {describe(placement)}")
    layout.placements.remove(placement)
    db.session.flush()


def placement_fields(placement: Placement) -> dict[str, str]:
    """Give a placement as the fields of the add form, plus its position: what
    ``put_back_placement`` needs to put it back after a remove (the banner's "Undo")."""
    thing = f"zone:{placement.zone_id}" if placement.zone_id else f"insert:{placement.insert_id}"
    return {"what": thing, "where": placement.where, "paragraph": str(placement.paragraph or ""),
            "selector": placement.selector or "", "device": placement.device,
            "min_paragraphs": str(placement.min_paragraphs or ""),
            "position": str(placement.position)}


def put_back_placement(layout: Layout, data: dict, position: int | None) -> Placement:
    """Add a removed placement again at its old ``position`` (if another took it since, the
    ones from there move one down), checked like a new one; at the end when unknown."""
    fields = clean_placement(layout, data)
    if position is None or position < 1:
        return add_placement(layout, data)
    if any(other.position == position for other in layout.placements):  # taken since
        for other in layout.placements:
            if other.position >= position:
                other.position += 1
    placement = Placement(layout_id=layout.id, position=position, **fields)
    db.session.add(placement)
    db.session.flush()
    db.session.refresh(layout)
    record("restore", placement, summary=f"{layout.name}: {describe(placement)}")
    return placement


def describe(placement: Placement) -> str:
    """Name a placement for the audit log: what, then where."""
    thing = placement.zone or placement.insert
    where = placement.where
    if placement.paragraph:
        where = f"{where} {placement.paragraph}"
    if placement.selector:
        where = f"{where} {placement.selector}"
    return f"{thing.slug if thing else '?'} @ {where}"


def fold_warnings(layout: Layout) -> dict[int, str]:
    """Give, by placement id, the warning the editor shows next to it."""
    warnings = {}
    for placement in layout.placements:
        if not may_sit_above_fold(placement):
            continue
        if placement.zone_id is not None:
            warnings[placement.id] = _(
                "This zone may sit above the fold: put its placeholder in the page "
                "(see the snippet), or the text will jump when the ad arrives.")
        else:
            warnings[placement.id] = _(
                "This insert may sit above the fold and push the text down when it "
                "arrives: place it after paragraph 2 or lower.")
    return warnings
