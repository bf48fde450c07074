"""Creative images, served from our own storage to any article page.

Public: no session, no cookie. File names are random and never reused, so the
files are cached for a year.
"""

from flask import Blueprint, current_app, send_from_directory
from werkzeug.exceptions import HTTPException

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/media/<filename>")
def creative_image(filename: str):
    """Send an uploaded creative image (404 for anything else)."""
    response = send_from_directory(current_app.config["UPLOAD_FOLDER"], filename,
                                   max_age=ONE_YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Article pages of other origins show these images.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.errorhandler(HTTPException)
def plain_error(error: HTTPException):
    """Answer a missing file in plain text: the dashboard's error page would add a cookie."""
    return error.name, error.code, {"Content-Type": "text/plain; charset=utf-8",
                                    "Cache-Control": "no-store"}
