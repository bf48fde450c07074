"""GET /serve without Flask's request dispatch: the decision's own way in.

The decision is the request every article page makes, so its cost is the one
readers and servers feel. Flask's request machinery (a request context, URL
matching, the staff wing's before- and after-request hooks, the session interface)
costs about as much again as a bare Flask route, and a decision answered from the
snapshot needs none of it. The lane takes a GET /serve straight from the WSGI environ
(after ``ProxyFix`` when proxies are trusted), pushes the app context (settings, the
database session and its teardown) and answers with the same
``decision.answer_page``. Every other request goes through Flask, and so does a
decision that is answered with an HTTP error: those are raised by the checks, before
anything is counted, and Flask answers them as it always did (JSON, CORS headers).
"""

from werkzeug.exceptions import HTTPException, InternalServerError

from ad_manager.errors import crashed, json_error
from ad_manager.serving.decision import answer_page, not_cached

PATH = "/serve"


class ServingLane:
    """WSGI middleware: GET /serve by the lane, everything else by ``wsgi_app``."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        request = self.app.request_class(environ)
        with self.app.app_context():
            try:
                response = not_cached(answer_page(request))
            except HTTPException:
                response = None  # Flask answers it, from the start
            except Exception as error:  # as the app's own handler would: logged, a JSON 500
                crashed(error)
                response = json_error(InternalServerError())
        if response is None:
            return self.wsgi_app(environ, start_response)
        return response(environ, start_response)


def serve_decisions_directly(app) -> None:
    """Put the lane in front of the app's WSGI callable."""
    app.wsgi_app = ServingLane(app, app.wsgi_app)
