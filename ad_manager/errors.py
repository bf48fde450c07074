"""Error pages in the house style, and JSON errors for JSON clients."""

import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ad_manager.extensions import db
from ad_manager.wings import JSON_BLUEPRINTS

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """Tell whether the client asked for JSON rather than a page."""
    if request.blueprint in JSON_BLUEPRINTS or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"]


def handle_http_error(error: HTTPException):
    """Answer an HTTP error as JSON or as a page."""
    if wants_json():
        return json_error(error)
    return render_template("errors/error.html", error=error), error.code


def json_error(error: HTTPException):
    """Answer an HTTP error as JSON: its name, what went wrong, its status."""
    response = jsonify(error=error.name, message=error.description, status=error.code)
    response.status_code = error.code or 500
    return response


def crashed(error: Exception) -> None:
    """Log a crash and undo its transaction."""
    log.exception("unhandled error", exc_info=error)
    db.session.rollback()


def handle_unexpected(error: Exception):
    """Log a crash, undo its transaction, and answer a plain 500."""
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    crashed(error)
    return handle_http_error(InternalServerError())


def register_errorhandlers(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
