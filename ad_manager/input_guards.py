"""Refuse input that no view can use before it reaches a form or a query.

Ids in URLs are integer columns (int4 on PostgreSQL, which refuses a larger number
in a query): the ``int`` converter stops at the column's range, so a larger id is a
plain 404 like any unknown one.

Every dashboard and sign-in form is a Flask-WTF form: it reads a JSON body as its form
data (a JSON array or number crashes it), and PostgreSQL refuses a NUL character in
text. Such input only comes from scripts and bots; it gets a clear 4xx and changes
nothing. The public wing reads its own input and is left alone.
"""

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from ad_manager.models.base import LARGEST_ID
from ad_manager.wings import PUBLIC_BLUEPRINTS

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class IdConverter(IntegerConverter):
    """``<int:…>`` limited to what an integer column holds."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def refuse_unreadable_form_input():
    """Answer 415 to a JSON write and 400 to a NUL character in the staff wing."""
    if request.blueprint in PUBLIC_BLUEPRINTS:
        return None
    if request.method in WRITES and request.is_json:
        abort(415, _("Dashboard forms are sent as form data, not JSON."))
    values = list(request.args.items(multi=True))
    if request.method in WRITES:
        values += request.form.items(multi=True)
    if any("\x00" in key or "\x00" in value for key, value in values):
        abort(400, _("Text may not contain NUL characters."))
    return None
