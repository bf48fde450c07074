"""Reading a page's forms the way a browser would post them, for tests that submit them."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """Read the named fields of the first form posting to ``action`` (valid defaults)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method":
                               (attrs.get("method") or "get").lower(), "fields": {},
                               "files": set(), "hx": set()})
            return
        if not self.forms:
            return
        if attrs.get("hx-post"):  # an htmx preview posting the form's fields elsewhere
            self.forms[-1]["hx"].add(attrs["hx-post"])
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "file":
                self.forms[-1]["files"].add(name)
            elif kind in {"checkbox", "radio"}:
                fields.setdefault(name, [])
                if "checked" in attrs:
                    fields[name].append(attrs.get("value", "on"))
            elif kind not in {"submit", "button"}:
                fields[name] = [attrs.get("value") or ""]
        elif tag == "button" and name:
            fields.setdefault(name, [attrs.get("value", "")])
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
            self._first_option = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self.forms[-1]["fields"][self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            fields = self.forms[-1]["fields"]
            if not fields[self._select] and self._first_option is not None:
                fields[self._select] = [self._first_option]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] = [data]


def page_forms(html: str) -> list[dict]:
    """Give the page's POST forms: action, fields (name → values), file fields, htmx posts."""
    parser = FormFields()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]
