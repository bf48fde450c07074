"""The readers' hot requests without Flask's request dispatch: decisions, events, clicks.

Every article page makes a decision, then reports events and clicks, so these are the
requests whose cost readers and servers feel. Flask's request machinery (a request
context, URL matching, the staff wing's before- and after-request hooks, the session
interface) costs about as much again as a bare Flask route, and none of these needs
it. The lane takes them straight from the WSGI environ (after ``ProxyFix`` when
proxies are trusted), pushes the app context (settings, the database session and its
teardown) and answers with the same functions as the Flask views:

- ``GET /serve``: ``decision.answer_page``. A decision answered with an HTTP error
  goes through Flask from the start: errors are raised by the checks, before anything
  is counted, and Flask answers them as it always did (JSON, CORS headers).
- ``POST /e``: ``tracking.count_events``, whatever it answers.
- ``GET /c/<token>``: ``tracking.count_click``; a click it cannot redirect goes on to
  Flask with its verdict (``tracking.CLICK_VERDICT``), which answers with the reader's
  page in their language without deciding the click again.

Everything else (preflights, HEAD, the dashboard, the loader, media) goes through Flask.
"""

from werkzeug.exceptions import HTTPException, InternalServerError

from ad_manager.errors import crashed, json_error
from ad_manager.serving.answer import Redirect
from ad_manager.serving.decision import answer_page
from ad_manager.serving.tracking import CLICK_VERDICT, count_click, count_events


def _decision(request):
    try:
        return answer_page(request)
    except HTTPException:
        return None  # Flask answers it, from the start


def _click(request):
    token = request.environ.get("PATH_INFO", "")[3:]
    if not token or "/" in token:
        return None  # no such route: Flask's 404
    verdict = count_click(request, token)
    if isinstance(verdict, int):
        request.environ[CLICK_VERDICT] = verdict
        return None
    return Redirect(verdict)


class ServingLane:
    """WSGI middleware: the readers' hot requests by the lane, the rest by ``wsgi_app``."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def _handler(self, environ):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        if method == "GET":
            if path == "/serve":
                return _decision
            if path.startswith("/c/"):
                return _click
        elif method == "POST" and path == "/e":
            return count_events
        return None

    def __call__(self, environ, start_response):
        handler = self._handler(environ)
        if handler is None:
            return self.wsgi_app(environ, start_response)
        request = self.app.request_class(environ)
        with self.app.app_context():
            try:
                response = handler(request)
            except Exception as error:  # as the app's own handler would: logged, a JSON 500
                crashed(error)
                response = json_error(InternalServerError())
        if response is None:
            return self.wsgi_app(environ, start_response)
        return response(environ, start_response)


def serve_readers_directly(app) -> None:
    """Put the lane in front of the app's WSGI callable."""
    app.wsgi_app = ServingLane(app, app.wsgi_app)
