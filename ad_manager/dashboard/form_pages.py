"""The one flow of every dashboard form and button that changes something.

A view parses the request into a form, hands the values to its area's service
function, and renders: ``form_page`` for new/edit forms, ``acted`` for the
archive, restore and remove buttons. Services raise ``Invalid``; its messages land
next to their fields and nothing is written.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect, render_template

from ad_manager.dashboard.pagination import form_status
from ad_manager.extensions import db
from ad_manager.invalid import Invalid

Saved = TypeVar("Saved")


def show_errors(form, invalid: Invalid) -> None:
    """Put each rule's message next to its field (the form's top when it has none)."""
    for field, message in invalid.errors.items():
        target = getattr(form, field, None)
        if target is None:
            form.form_errors.append(message)
            continue
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.append(message)


def form_page(form, template: str, save: Callable[[], Saved],
              then: Callable[[Saved], str], message: Callable[[Saved], str], **context):
    """Show ``form``; on a valid post call ``save`` (the service), commit and go on.

    ``then`` gives the address to go to after the save and ``message`` what to
    flash, both from what ``save`` gave back. A refused save writes nothing and
    shows the form again (422) with the messages next to their fields.
    """
    return (saved(form, save, then, message)
            or (render_template(template, form=form, **context), form_status(form)))


def saved(form, save: Callable[[], Saved], then: Callable[[Saved], str],
          message: Callable[[Saved], str]):
    """Save a valid post as ``form_page`` does; give the redirect, or None to show the form."""
    if not form.validate_on_submit():
        return None
    try:
        done = save()
    except Invalid as invalid:
        db.session.rollback()
        show_errors(form, invalid)
        return None
    db.session.commit()
    flash(message(done), "success")
    return redirect(then(done), 303)


def acted(done: bool, message: str, then: str):
    """Answer an archive, restore or remove button: commit and flash what it did, if anything."""
    if done:
        db.session.commit()
        flash(message, "success")
    return redirect(then, 303)
