"""The app's request class: Flask's own, with the app's address worked out once."""

from flask import Request
from werkzeug.utils import cached_property


class AppRequest(Request):
    """Flask's request, whose ``host_url`` and ``url_root`` are worked out once.

    Werkzeug works them out again (IRI decoding included) each time they are read; a
    decision reads them four times (its links, the origins allowed to read it, the
    page-origin check). A request's environ does not change once it is handled.

    ``host_url`` is the host as the request named it, without werkzeug's IRI decoding:
    what a browser sends as its ``Origin`` (an international name in its "xn--" form)
    and what a link needs, at a fifth of the cost.
    """

    url_root = cached_property(Request.url_root.fget)

    @cached_property
    def host_url(self) -> str:
        return f"{self.scheme}://{self.host}/"
