"""The one flow of every dashboard form and button that changes something.

A view parses the request into a form, hands the values to its area's service
function, and renders: ``form_page`` for new/edit forms, ``acted`` for the
archive, restore and remove buttons. Services raise ``Invalid``; its messages land
next to their fields and nothing is written.

Every archive, remove and ✕ asks first: in the browser with htmx's ``hx-confirm``
(the button's form then posts ``confirmed=yes``), and without JavaScript through
``confirm_step``, a page that asks and posts the same. After an archive the banner
offers "Undo": a button that posts to the area's restore.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, get_template_attribute, redirect, render_template, request
from flask_babel import gettext as _

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


def confirmed() -> bool:
    """Tell whether a remove button's post says yes (the dialog's or the confirm page's)."""
    return request.method == "POST" and request.form.get("confirmed") == "yes"


def confirm_step(question: str, button: str, back: str):
    """Ask before acting, for a browser without JavaScript (and a GET of the button's URL).

    The page posts back to the same address with ``confirmed=yes``; "Cancel" goes ``back``.
    """
    return render_template("confirm.html", question=question, button=button, back=back)


def confirm_removal(name: str, archives: bool, back: str):
    """Ask what a remove button asks (``remove_button``): archive (undoable) or delete (final)."""
    question = get_template_attribute("inventory/_macros.html", "removal_question")
    return confirm_step(str(question(name, archives)).strip(),
                        _("Archive") if archives else _("Delete"), back)


def announce(message: str, undo: str | None = None, undo_values: dict | None = None) -> None:
    """Flash what was done; with ``undo``, the banner offers a button posting there.

    ``undo_values`` are the fields that post carries (a placement's, to put it back).
    """
    if undo is None:
        flash(message, "success")
    else:
        flash({"text": message, "undo": undo, "values": undo_values or {}}, "success")


def acted(done: bool, message: str, then: str, undo: str | None = None,
          undo_values: dict | None = None):
    """Answer an archive, restore or remove button: commit and flash what it did, if anything.

    ``undo`` is the address of the restore that takes back what was done (an archive).
    """
    if done:
        db.session.commit()
        announce(message, undo, undo_values)
    return redirect(then, 303)
